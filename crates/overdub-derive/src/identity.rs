//! The plugin's identity read at compile time from the `Cargo.toml` of the crate being compiled.

use overdub_build::PluginManifest;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use std::path::PathBuf;

/// `$krate::Identity { id, name }` from `[package.metadata.overdub]`, tracked by the compiler so an edit of
/// the manifest rebuilds the crate.
pub(crate) fn expand(krate: &TokenStream) -> syn::Result<TokenStream> {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").ok_or_else(|| {
        syn::Error::new(Span::call_site(), "CARGO_MANIFEST_DIR is not set: build with cargo")
    })?;
    let path = PathBuf::from(dir).join("Cargo.toml");
    let manifest = PluginManifest::read(&path).map_err(|error| syn::Error::new(Span::call_site(), error))?;
    let (id, name) = (&manifest.id, &manifest.name);
    let tracked = path.to_string_lossy();
    Ok(quote! {{
        const _: &[u8] = ::core::include_bytes!(#tracked);
        #krate::Identity { id: #id, name: #name }
    }})
}
