//! The ABI canary: every property both sides of the boundary must share, as one list of named fields.
//!
//! A logic library and the shell each compute this list from their own copy of this crate and their own
//! compiler; the shell compares them before calling any Rust-ABI function of the library. The list goes past
//! sizes: it holds each boundary struct's field names, types and offsets (so a field reordered, or added
//! into padding at the same size, is caught), each boundary enum's discriminants, the compiler's full
//! identity, the target, the panic strategy, this crate's version and a fingerprint of its source. The text
//! crosses the boundary through a C-ABI function, so reading it cannot itself depend on a matching layout.

use crate::buffer::AudioBuffer;
use crate::display::Display;
use crate::editor::{EditorEntry, EditorHost, EditorObject, PaintedFrame, egui};
use crate::events::{
    ChannelPressure, ControlChange, Event, EventBody, Note, ParamChange, PitchBend, PolyPressure,
};
use crate::message::Message;
use crate::object::{Fault, LogicInfo, LogicObject, OnFault, Outcome};
use crate::params::{ParamFlags, ParamInfo, ParamValues};
use crate::process::{ProcessBlock, ProcessStatus};
use crate::state::StateError;
use crate::transport::{TimeSignature, Transport};
use egui::epaint::{Mesh, Vertex};
use std::fmt::{self, Write as _};
use std::mem::{align_of, offset_of, size_of};
use std::sync::OnceLock;

/// The canary of this build, one `key=value` field per line.
pub fn canary_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let mut text = String::new();
        for (key, value) in fields() {
            writeln!(text, "{key}={value}").expect("writing to a String cannot fail");
        }
        text
    })
}

fn field_type<S, F>(_: fn(&S) -> &F) -> &'static str {
    std::any::type_name::<F>()
}

/// Describes a struct as `size=… align=… name:type@offset…`, listing every field: the destructuring
/// pattern fails to compile when a field is added to the type but not here.
macro_rules! struct_layout {
    ($ty:ty, $path:ident { $($field:ident),* $(,)? }) => {{
        #[allow(dead_code)]
        fn every_field_is_listed(value: &$ty) {
            let $path { $($field: _),* } = value;
        }
        let mut text = format!("size={} align={}", size_of::<$ty>(), align_of::<$ty>());
        $(
            write!(
                text,
                " {}:{}@{}",
                stringify!($field),
                field_type(|v: &$ty| &v.$field),
                offset_of!($ty, $field)
            )
            .expect("writing to a String cannot fail");
        )*
        (concat!("layout.", stringify!($path)), text)
    }};
}

/// Reads the tag of a primitive-representation enum.
fn tag_of<T>(value: &T) -> u8 {
    // SAFETY: only called on `#[repr(C, u8)]` enums, whose layout starts with the `u8` discriminant (the
    // pattern documented for `std::mem::discriminant`).
    unsafe { *(value as *const T).cast::<u8>() }
}

/// Describes an enum as `size=… align=… Variant=tag…`, from one sample value per variant: the match fails
/// to compile when a variant is added to the type but not here.
macro_rules! enum_layout {
    ($ty:ident { $($variant:ident => $sample:expr),* $(,)? }) => {{
        #[allow(dead_code)]
        fn every_variant_is_listed(value: &$ty) {
            match value { $($ty::$variant { .. } => {})* }
        }
        let mut text = format!("size={} align={}", size_of::<$ty>(), align_of::<$ty>());
        $(
            write!(text, " {}={}", stringify!($variant), tag_of(&$sample)).expect("writing to a String cannot fail");
        )*
        (concat!("enum.", stringify!($ty)), text)
    }};
}

fn size_align<T: ?Sized>() -> String {
    format!("size={} align={}", size_of::<&T>(), align_of::<&T>())
}

fn sized<T>() -> String {
    format!("size={} align={}", size_of::<T>(), align_of::<T>())
}

/// Every canary field with its value in this build, in a fixed order.
pub fn fields() -> Vec<(&'static str, String)> {
    let note = Note { channel: 0, key: 0, velocity: 0.0, note_id: 0 };
    let mut fields = vec![
        ("abi.version", env!("CARGO_PKG_VERSION").to_owned()),
        ("abi.source", env!("OVERDUB_ABI_SOURCE").to_owned()),
        ("rustc", env!("OVERDUB_RUSTC_IDENTITY").to_owned()),
        ("target", env!("OVERDUB_TARGET").to_owned()),
        ("panic", if cfg!(panic = "unwind") { "unwind" } else { "abort" }.to_owned()),
        struct_layout!(
            AudioBuffer<'static>,
            AudioBuffer { inputs, outputs, input_channels, output_channels, offset, frames, _host_audio }
        ),
        struct_layout!(Event, Event { time, body }),
        enum_layout!(EventBody {
            NoteOn => EventBody::NoteOn(note),
            NoteOff => EventBody::NoteOff(note),
            ControlChange => EventBody::ControlChange(ControlChange { channel: 0, controller: 0, value: 0.0 }),
            PitchBend => EventBody::PitchBend(PitchBend { channel: 0, value: 0.0 }),
            ChannelPressure => EventBody::ChannelPressure(ChannelPressure { channel: 0, value: 0.0 }),
            PolyPressure => EventBody::PolyPressure(PolyPressure { channel: 0, key: 0, value: 0.0 }),
            ParamChange => EventBody::ParamChange(ParamChange { index: 0, id: 0, value: 0.0 }),
        }),
        struct_layout!(Note, Note { channel, key, velocity, note_id }),
        struct_layout!(ControlChange, ControlChange { channel, controller, value }),
        struct_layout!(PitchBend, PitchBend { channel, value }),
        struct_layout!(ChannelPressure, ChannelPressure { channel, value }),
        struct_layout!(PolyPressure, PolyPressure { channel, key, value }),
        struct_layout!(ParamChange, ParamChange { index, id, value }),
        struct_layout!(
            Transport,
            Transport {
                tempo,
                time_signature,
                position_samples,
                position_beats,
                bar_start_beats,
                loop_start_beats,
                loop_end_beats,
                playing,
                recording,
                looping
            }
        ),
        struct_layout!(TimeSignature, TimeSignature { numerator, denominator }),
        struct_layout!(
            ProcessBlock<'static>,
            ProcessBlock { buffer, events, params, transport, sample_rate, sample_position, display }
        ),
        enum_layout!(ProcessStatus {
            Normal => ProcessStatus::Normal,
            Tail => ProcessStatus::Tail { samples: 0 },
            KeepAlive => ProcessStatus::KeepAlive,
        }),
        struct_layout!(ParamInfo, ParamInfo { id, name, unit, min, max, default, steps, flags }),
        ("layout.ParamFlags", sized::<ParamFlags>()),
        struct_layout!(ParamValues<'static>, ParamValues { values }),
        struct_layout!(LogicInfo, LogicInfo { id, name, params, on_fault }),
        enum_layout!(OnFault {
            Silence => OnFault::Silence,
            PassThrough => OnFault::PassThrough,
        }),
        enum_layout!(Fault {
            Panic => Fault::Panic(Message::empty()),
            Probe => Fault::Probe(0),
        }),
        struct_layout!(Message, Message { len, truncated, bytes }),
        struct_layout!(StateError, StateError { message }),
        ("ref.dyn LogicObject", size_align::<dyn LogicObject>()),
        ("ref.dyn StateSink", size_align::<dyn crate::state::StateSink>()),
        ("ref.str", size_align::<str>()),
        ("ref.[u8]", size_align::<[u8]>()),
    ];
    fields.extend(editor_fields());
    fields.extend([
        ("outcome.unit", sized::<Outcome<()>>()),
        ("outcome.ProcessStatus", sized::<Outcome<ProcessStatus>>()),
        ("outcome.LogicInfo", sized::<Outcome<LogicInfo>>()),
        ("outcome.load_state", sized::<Outcome<Result<(), StateError>>>()),
        ("outcome.u32", sized::<Outcome<u32>>()),
        ("outcome.create", sized::<Outcome<Box<dyn LogicObject>>>()),
        ("outcome.u64", sized::<Outcome<u64>>()),
    ]);
    fields
}

/// The editor's side of the boundary: egui's version and the layout of each egui type that crosses.
fn editor_fields() -> Vec<(&'static str, String)> {
    let named = |size: String, name: &str| format!("{size} {name}");
    vec![
        ("egui.version", env!("OVERDUB_EGUI_VERSION").to_owned()),
        ("egui.RawInput", named(sized::<egui::RawInput>(), std::any::type_name::<egui::RawInput>())),
        ("egui.Event", named(sized::<egui::Event>(), std::any::type_name::<egui::Event>())),
        (
            "egui.ClippedPrimitive",
            named(sized::<egui::ClippedPrimitive>(), std::any::type_name::<egui::ClippedPrimitive>()),
        ),
        ("egui.Primitive", sized::<egui::epaint::Primitive>()),
        struct_layout!(Mesh, Mesh { indices, vertices, texture_id }),
        struct_layout!(Vertex, Vertex { pos, uv, color }),
        ("egui.TextureId", sized::<egui::TextureId>()),
        ("egui.TexturesDelta", sized::<egui::TexturesDelta>()),
        ("egui.ImageDelta", sized::<egui::epaint::ImageDelta>()),
        ("egui.ImageData", sized::<egui::ImageData>()),
        ("egui.CursorIcon", sized::<egui::CursorIcon>()),
        struct_layout!(
            PaintedFrame<'static>,
            PaintedFrame { primitives, textures, pixels_per_point, cursor, repaint_after }
        ),
        struct_layout!(EditorEntry, EditorEntry { size, create, fingerprint, adopt }),
        ("layout.Display", sized::<Display>()),
        ("ref.dyn EditorObject", size_align::<dyn EditorObject>()),
        ("ref.dyn EditorHost", size_align::<dyn EditorHost>()),
        ("outcome.editor", sized::<Outcome<Box<dyn EditorObject>>>()),
        ("outcome.editor_state", sized::<Outcome<*mut ()>>()),
    ]
}

/// One field on which the shell and a logic library disagree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CanaryDifference {
    /// The field, e.g. `layout.Transport` or `rustc`.
    pub field: String,
    /// The shell's value, `None` when the shell has no such field.
    pub shell: Option<String>,
    /// The library's value, `None` when the library has no such field.
    pub logic: Option<String>,
}

/// Every field on which the shell and a logic library disagree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CanaryDiff {
    /// The differing fields, in the shell's order, then fields only the library has.
    pub differences: Vec<CanaryDifference>,
}

/// Compares two canaries field by field.
pub fn compare(shell: &str, logic: &str) -> Result<(), CanaryDiff> {
    let shell_fields = parse(shell);
    let logic_fields = parse(logic);
    let lookup = |fields: &[(&str, &str)], key: &str| {
        fields.iter().find(|(k, _)| *k == key).map(|(_, v)| (*v).to_owned())
    };
    let mut differences = Vec::new();
    for (key, value) in &shell_fields {
        let theirs = lookup(&logic_fields, key);
        if theirs.as_deref() != Some(*value) {
            differences.push(CanaryDifference {
                field: (*key).to_owned(),
                shell: Some((*value).to_owned()),
                logic: theirs,
            });
        }
    }
    for (key, value) in &logic_fields {
        if lookup(&shell_fields, key).is_none() {
            differences.push(CanaryDifference {
                field: (*key).to_owned(),
                shell: None,
                logic: Some((*value).to_owned()),
            });
        }
    }
    if differences.is_empty() { Ok(()) } else { Err(CanaryDiff { differences }) }
}

fn parse(text: &str) -> Vec<(&str, &str)> {
    text.lines().filter_map(|line| line.split_once('=')).collect()
}

impl fmt::Display for CanaryDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(absent)".to_owned());
        for (i, d) in self.differences.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "  {}:\n    shell: {}\n    logic: {}", d.field, show(&d.shell), show(&d.logic))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_matches_itself() {
        assert_eq!(compare(canary_text(), canary_text()), Ok(()));
    }

    #[test]
    fn every_differing_field_is_reported_with_both_values() {
        let shell = "rustc=1.95\ntarget=x86_64\nlayout.Transport=a@0 b@8\n";
        let logic = "rustc=1.94\ntarget=x86_64\nlayout.Transport=b@0 a@8\nextra=1\n";
        let diff = compare(shell, logic).unwrap_err();
        let fields: Vec<_> = diff.differences.iter().map(|d| d.field.as_str()).collect();
        assert_eq!(fields, ["rustc", "layout.Transport", "extra"]);
        assert_eq!(diff.differences[0].shell.as_deref(), Some("1.95"));
        assert_eq!(diff.differences[0].logic.as_deref(), Some("1.94"));
        assert_eq!(diff.differences[2].shell, None);
        let report = diff.to_string();
        assert!(report.contains("shell: a@0 b@8") && report.contains("logic: b@0 a@8"), "{report}");
        assert!(report.contains("shell: (absent)"), "{report}");
    }

    #[test]
    fn a_missing_field_is_a_difference() {
        let diff = compare("panic=unwind\n", "").unwrap_err();
        assert_eq!(diff.differences[0].logic, None);
    }

    #[test]
    fn struct_layouts_name_each_field_with_type_and_offset() {
        let text = canary_text();
        let transport = text.lines().find(|l| l.starts_with("layout.Transport=")).unwrap();
        assert!(transport.contains("tempo:f64@"), "{transport}");
        assert!(transport.contains("playing:bool@"), "{transport}");
    }

    #[test]
    fn enum_discriminants_are_recorded() {
        let text = canary_text();
        let events = text.lines().find(|l| l.starts_with("enum.EventBody=")).unwrap();
        assert!(events.contains("NoteOn=0") && events.contains("ParamChange=6"), "{events}");
    }

    #[test]
    fn the_editor_types_that_cross_are_in_the_canary_with_egui_s_version() {
        let text = canary_text();
        let version = text.lines().find(|l| l.starts_with("egui.version=")).unwrap();
        assert_eq!(version, "egui.version=0.34.3", "the version this crate's manifest pins");
        for field in [
            "egui.RawInput=",
            "egui.ClippedPrimitive=",
            "layout.Vertex=",
            "layout.PaintedFrame=",
            "layout.EditorEntry=",
        ] {
            assert!(text.lines().any(|l| l.starts_with(field)), "{field} in {text}");
        }
        let vertex = text.lines().find(|l| l.starts_with("layout.Vertex=")).unwrap();
        assert!(vertex.contains("pos:") && vertex.contains("uv:") && vertex.contains("color:"), "{vertex}");
    }

    #[test]
    fn a_logic_built_against_another_egui_differs_in_the_egui_version_field() {
        let ours = canary_text();
        let theirs = ours.replace("egui.version=0.34.3", "egui.version=0.33.0");
        let diff = compare(ours, &theirs).unwrap_err();
        assert_eq!(diff.differences.len(), 1);
        let report = diff.to_string();
        assert!(report.contains("egui.version") && report.contains("logic: 0.33.0"), "{report}");
    }

    #[test]
    fn compiler_identity_is_the_full_version_output() {
        let rustc = canary_text().lines().find(|l| l.starts_with("rustc=")).unwrap();
        assert!(rustc.contains("commit-hash") && rustc.contains("host:"), "{rustc}");
    }
}
