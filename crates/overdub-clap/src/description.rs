//! The plugin's [`Description`] as CLAP lists it.

use clack_plugin::plugin::PluginDescriptor;
use overdub_shell::Description;

/// The descriptor handed to the host; `hot` marks the reloading build so both can be installed side by side.
pub(crate) fn descriptor(description: &Description, hot: bool) -> PluginDescriptor {
    let (id, name) = description.listed(hot);
    PluginDescriptor::new(&id, &name)
        .with_vendor(description.vendor)
        .with_version(description.version)
        .with_description(description.description)
        .with_features(description.features.iter().copied())
}
