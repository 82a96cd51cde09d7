//! Owned audio for callers that are not a host: tests, the dev host, offline rendering.

use overdub_abi::AudioBuffer;

/// Non-interleaved input and output channels with the pointer tables an [`AudioBuffer`] borrows.
///
/// Sized once (allocation happens here, off the audio thread); [`AudioBlock::buffer`] then lends the
/// channels to the logic without allocating.
pub struct AudioBlock {
    inputs: Vec<Vec<f32>>,
    outputs: Vec<Vec<f32>>,
    input_ptrs: Vec<*const f32>,
    output_ptrs: Vec<*mut f32>,
}

// SAFETY: the raw pointers only ever point into this block's own channel vectors, whose heap memory moves with
// the block; they are rebuilt from `&mut self` before every use.
unsafe impl Send for AudioBlock {}

impl AudioBlock {
    /// Channels of `frames` samples each, all silent.
    pub fn new(input_channels: usize, output_channels: usize, frames: usize) -> Self {
        Self {
            inputs: vec![vec![0.0; frames]; input_channels],
            outputs: vec![vec![0.0; frames]; output_channels],
            input_ptrs: Vec::with_capacity(input_channels.max(output_channels)),
            output_ptrs: Vec::with_capacity(output_channels),
        }
    }

    /// Samples per channel this block can hold.
    pub fn capacity(&self) -> usize {
        self.outputs.first().or(self.inputs.first()).map_or(0, Vec::len)
    }

    /// Number of input channels.
    pub fn input_count(&self) -> usize {
        self.inputs.len()
    }

    /// Number of output channels.
    pub fn output_count(&self) -> usize {
        self.outputs.len()
    }

    /// An input channel, to fill before processing.
    pub fn input_mut(&mut self, channel: usize) -> &mut [f32] {
        &mut self.inputs[channel]
    }

    /// An output channel, to read after processing.
    pub fn output(&self, channel: usize) -> &[f32] {
        &self.outputs[channel]
    }

    /// An output channel, to prepare for in-place processing.
    pub fn output_mut(&mut self, channel: usize) -> &mut [f32] {
        &mut self.outputs[channel]
    }

    /// Lends the first `frames` samples of every channel, inputs and outputs in separate memory.
    ///
    /// # Panics
    /// When `frames` exceeds the capacity.
    pub fn buffer(&mut self, frames: usize) -> AudioBuffer<'_> {
        self.lend(frames, false)
    }

    /// Lends the first `frames` samples with each input channel being its output channel, as a host that
    /// processes in place does; the outputs must already hold the input.
    pub fn in_place_buffer(&mut self, frames: usize) -> AudioBuffer<'_> {
        self.lend(frames, true)
    }

    fn lend(&mut self, frames: usize, in_place: bool) -> AudioBuffer<'_> {
        assert!(frames <= self.capacity(), "{frames} frames exceed the block's {}", self.capacity());
        self.output_ptrs.clear();
        self.output_ptrs.extend(self.outputs.iter_mut().map(|c| c.as_mut_ptr()));
        self.input_ptrs.clear();
        if in_place {
            self.input_ptrs.extend(self.output_ptrs.iter().map(|p| p.cast_const()));
        } else {
            self.input_ptrs.extend(self.inputs.iter().map(|c| c.as_ptr()));
        }
        // SAFETY: every pointer addresses one of this block's channels, each at least `frames` long (checked
        // above); output channels are distinct vectors; in place, input n is exactly output n, otherwise inputs
        // are separate vectors. `&mut self` keeps them borrowed for the buffer's lifetime.
        unsafe {
            AudioBuffer::from_raw(
                self.input_ptrs.as_ptr(),
                self.input_ptrs.len(),
                self.output_ptrs.as_ptr(),
                self.output_ptrs.len(),
                frames,
            )
        }
    }
}
