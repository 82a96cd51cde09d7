//! Derived DSP state between two builds of a logic: the same struct before and after an edit.

use crate::state::{StateWriter, load_memory, save_memory};
use crate::{DspState, StateError};
use overdub_abi::StateSink;

struct VecSink(Vec<u8>);
impl StateSink for VecSink {
    fn write(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }
}

fn saved(value: &impl DspState) -> Vec<u8> {
    let mut sink = VecSink(Vec::new());
    save_memory(value, &mut StateWriter::new(&mut sink));
    sink.0
}

fn migrate<A: DspState, B: DspState>(old: &A, mut fresh: B) -> Result<B, StateError> {
    load_memory(&mut fresh, &saved(old)).map(|()| fresh)
}

#[derive(crate::DspState, Debug, PartialEq, Clone, Copy, Default)]
struct Voice {
    key: u8,
    phase: f32,
}

mod before {
    #[derive(crate::DspState, Debug, PartialEq)]
    pub struct Delay {
        pub lines: Vec<Vec<f32>>,
        pub write: u64,
        pub gone: i32,
        pub voices: [super::Voice; 2],
    }
}

mod after {
    #[derive(crate::DspState, Debug, PartialEq)]
    pub struct Delay {
        pub added: f64,
        pub voices: [super::Voice; 3],
        pub write: u64,
        pub lines: Vec<Vec<f32>>,
    }
}

#[test]
fn fields_move_by_name_with_added_ones_fresh_and_removed_ones_skipped() {
    let old = before::Delay {
        lines: vec![vec![1.0, 2.0, 3.0], vec![4.0, 5.0, 6.0]],
        write: 7,
        gone: -1,
        voices: [Voice { key: 60, phase: 0.5 }, Voice { key: 64, phase: 0.25 }],
    };
    let fresh =
        after::Delay { added: 9.0, voices: [Voice::default(); 3], write: 0, lines: vec![vec![0.0; 3]; 2] };
    let new = migrate(&old, fresh).unwrap();
    assert_eq!(new.added, 9.0, "a field the old build lacked keeps its fresh value");
    assert_eq!(new.write, 7);
    assert_eq!(new.lines, old.lines);
    assert_eq!(new.voices[..2], old.voices, "an array keeps what both lengths reach");
    assert_eq!(new.voices[2], Voice::default());
}

#[test]
fn lists_fit_into_the_length_the_new_build_allocated() {
    let old = vec![vec![1.0f32; 4], vec![2.0; 4], vec![3.0; 4]];
    let new = migrate(&old, vec![vec![0.0f32; 2], vec![0.0; 6]]).unwrap();
    assert_eq!(new, [vec![1.0, 1.0], vec![2.0, 2.0, 2.0, 2.0, 0.0, 0.0]]);
}

mod retyped {
    #[derive(crate::DspState, Debug, PartialEq)]
    pub struct Voice {
        pub key: u8,
        pub phase: f64,
    }
    #[derive(crate::DspState, Debug)]
    pub struct Synth {
        pub voices: Vec<Voice>,
    }
}

#[test]
fn a_field_whose_type_changed_is_reported_by_its_path() {
    #[derive(crate::DspState)]
    struct Synth {
        voices: Vec<Voice>,
    }
    let old = Synth { voices: vec![Voice { key: 1, phase: 0.5 }] };
    let fresh = retyped::Synth { voices: vec![retyped::Voice { key: 0, phase: 0.0 }] };
    let err = migrate(&old, fresh).unwrap_err();
    assert_eq!(err.message(), "`voices`: `phase`: saved as f32, this build has f64");
    let err = migrate(&vec![1.0f32], vec![0.0f64]).unwrap_err();
    assert!(err.message().contains("saved as a list of f32, this build has a list of f64"), "{err}");
}

#[derive(crate::DspState, Debug, PartialEq)]
enum Filter {
    Off,
    Lowpass { z1: f32, z2: f32 },
    Comb(u32),
}

#[test]
fn an_enum_variant_loads_into_the_same_variant_and_leaves_another_fresh() {
    let old = Filter::Lowpass { z1: 0.5, z2: -0.5 };
    assert_eq!(migrate(&old, Filter::Lowpass { z1: 0.0, z2: 0.0 }).unwrap(), old);
    assert_eq!(migrate(&old, Filter::Comb(3)).unwrap(), Filter::Comb(3));
    assert_eq!(migrate(&Filter::Off, Filter::Off).unwrap(), Filter::Off);
}

#[test]
fn options_tuples_and_boxes_round_trip() {
    let old = (Some(3u32), Box::new([1i16, -2]), None::<f32>, 'x');
    let new = migrate(&old, (Some(0u32), Box::new([0i16; 2]), Some(1.0f32), ' ')).unwrap();
    assert_eq!(new, old);
}

#[test]
fn garbled_state_is_an_error_not_a_panic() {
    let good = saved(&vec![Voice { key: 1, phase: 1.0 }; 8]);
    for cut in 0..good.len() {
        let mut fresh = vec![Voice::default(); 8];
        assert!(load_memory(&mut fresh, &good[..cut]).is_err(), "cut at {cut}");
    }
    let mut flipped = good.clone();
    flipped[6] = 0xee;
    assert!(load_memory(&mut vec![Voice::default(); 8], &flipped).is_err());
}

#[test]
fn saving_into_reserved_memory_does_not_allocate() {
    let state = vec![vec![0.25f32; 4800]; 2];
    let mut sink = VecSink(Vec::with_capacity(64 * 1024));
    let ((), allocations) = crate::alloc_counter::count_allocations(|| {
        save_memory(&state, &mut StateWriter::new(&mut sink));
    });
    assert_eq!(allocations, 0);
    assert!(sink.0.len() > 2 * 4800 * 4);
}

#[global_allocator]
static COUNTING: crate::alloc_counter::CountingAllocator = crate::alloc_counter::CountingAllocator;

#[test]
fn the_counter_sees_allocations_in_this_binary() {
    let (v, allocations) = crate::alloc_counter::count_allocations(|| vec![1u8; 100]);
    assert_eq!(v.len(), 100);
    assert!(allocations >= 1);
}
