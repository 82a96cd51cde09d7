//! Audio borrowed from the host, non-interleaved, never copied.

use core::marker::PhantomData;

/// One block of the host's audio: a pointer per channel for inputs and for outputs.
///
/// The shell hands the logic the host's own channel pointers, so processing reads and writes the host's memory
/// directly. Inputs and outputs may be the same memory (the host processes in place); [`AudioBuffer::channel`]
/// says which case a channel is in, and [`AudioBuffer::in_place`] gives the common effect view either way.
/// A buffer can describe a window (`offset`, `frames`) of the host's block, which is how the shell splits a
/// block at sample-accurate parameter changes without touching the pointers.
#[repr(C)]
pub struct AudioBuffer<'a> {
    pub(crate) inputs: *const *const f32,
    pub(crate) outputs: *const *mut f32,
    pub(crate) input_channels: u32,
    pub(crate) output_channels: u32,
    pub(crate) offset: u32,
    pub(crate) frames: u32,
    pub(crate) _host_audio: PhantomData<&'a mut [f32]>,
}

/// How one output channel relates to its input in this block.
#[derive(Debug)]
pub enum ChannelIo<'b> {
    /// The host gave the same memory for input and output: it holds the input, write the output over it.
    InPlace(&'b mut [f32]),
    /// Separate memory: read `input`, write `output`.
    Separate {
        /// The input samples.
        input: &'b [f32],
        /// Where the output goes.
        output: &'b mut [f32],
    },
    /// There is no input channel with this index (an instrument, or more outputs than inputs).
    OutputOnly(&'b mut [f32]),
}

impl<'a> AudioBuffer<'a> {
    /// Wraps the host's channel pointer arrays.
    ///
    /// # Safety
    /// For the lifetime `'a`: `inputs` points to `input_channels` channel pointers (or is null when there are
    /// none), each valid for reads of `frames` samples; `outputs` likewise for `output_channels` channel pointers
    /// valid for reads and writes of `frames` samples. No two output channels overlap, and an input channel
    /// either is exactly the output channel with the same index (in-place processing) or overlaps no output
    /// channel. Nothing else accesses the memory while the buffer lives.
    pub unsafe fn from_raw(
        inputs: *const *const f32,
        input_channels: usize,
        outputs: *const *mut f32,
        output_channels: usize,
        frames: usize,
    ) -> Self {
        Self {
            inputs,
            outputs,
            input_channels: u32::try_from(input_channels).expect("channel count fits in u32"),
            output_channels: u32::try_from(output_channels).expect("channel count fits in u32"),
            offset: 0,
            frames: u32::try_from(frames).expect("block length fits in u32"),
            _host_audio: PhantomData,
        }
    }

    /// A buffer with no channels and no frames, for calls that need one but carry no audio.
    pub const fn empty() -> AudioBuffer<'static> {
        AudioBuffer {
            inputs: core::ptr::null(),
            outputs: core::ptr::null(),
            input_channels: 0,
            output_channels: 0,
            offset: 0,
            frames: 0,
            _host_audio: PhantomData,
        }
    }

    /// Samples per channel in this block.
    pub fn frames(&self) -> usize {
        self.frames as usize
    }

    /// Number of input channels.
    pub fn input_channels(&self) -> usize {
        self.input_channels as usize
    }

    /// Number of output channels.
    pub fn output_channels(&self) -> usize {
        self.output_channels as usize
    }

    fn input_ptr(&self, channel: usize) -> Option<*const f32> {
        if channel >= self.input_channels() {
            return None;
        }
        // SAFETY: `from_raw`'s contract: `inputs` holds `input_channels` pointers; `channel` is below that.
        let base = unsafe { *self.inputs.add(channel) };
        // SAFETY: each channel holds at least `offset + frames` samples (windows only ever shrink the block).
        Some(unsafe { base.add(self.offset as usize) })
    }

    fn output_ptr(&self, channel: usize) -> Option<*mut f32> {
        if channel >= self.output_channels() {
            return None;
        }
        // SAFETY: `from_raw`'s contract: `outputs` holds `output_channels` pointers; `channel` is below that.
        let base = unsafe { *self.outputs.add(channel) };
        // SAFETY: as in `input_ptr`.
        Some(unsafe { base.add(self.offset as usize) })
    }

    /// The input samples of `channel` (in place, this is the output memory as it is now).
    pub fn input(&self, channel: usize) -> Option<&[f32]> {
        let ptr = self.input_ptr(channel)?;
        // SAFETY: valid for reads of `frames` samples (from_raw); `&self` forbids a live `&mut` to the same memory.
        Some(unsafe { core::slice::from_raw_parts(ptr, self.frames()) })
    }

    /// The output samples of `channel`.
    pub fn output(&mut self, channel: usize) -> Option<&mut [f32]> {
        let ptr = self.output_ptr(channel)?;
        // SAFETY: valid for reads and writes (from_raw), channels do not overlap, and `&mut self` makes this the
        // only live view of the buffer.
        Some(unsafe { core::slice::from_raw_parts_mut(ptr, self.frames()) })
    }

    /// Input and output of `channel` together, telling in-place from separate memory.
    pub fn channel(&mut self, channel: usize) -> Option<ChannelIo<'_>> {
        let output = self.output_ptr(channel)?;
        let frames = self.frames();
        // SAFETY: as in `output`.
        let output_slice = unsafe { core::slice::from_raw_parts_mut(output, frames) };
        Some(match self.input_ptr(channel) {
            None => ChannelIo::OutputOnly(output_slice),
            Some(input) if core::ptr::eq(input, output) => ChannelIo::InPlace(output_slice),
            Some(input) => ChannelIo::Separate {
                // SAFETY: `from_raw` guarantees a non-identical input overlaps no output, so this shared slice
                // and the exclusive output slice do not alias.
                input: unsafe { core::slice::from_raw_parts(input, frames) },
                output: output_slice,
            },
        })
    }

    /// The output of `channel` holding this block's input, ready to be processed in place.
    ///
    /// Copies the input over when the host gave separate memory, and clears a channel without input, so an
    /// effect can always read-modify-write one slice.
    pub fn in_place(&mut self, channel: usize) -> Option<&mut [f32]> {
        match self.channel(channel)? {
            ChannelIo::InPlace(samples) => Some(samples),
            ChannelIo::Separate { input, output } => {
                output.copy_from_slice(input);
                Some(output)
            }
            ChannelIo::OutputOnly(output) => {
                output.fill(0.0);
                Some(output)
            }
        }
    }

    /// A view of `frames` samples starting at `start` of this block.
    ///
    /// # Panics
    /// When the window does not lie inside the block.
    pub fn window(&mut self, start: usize, frames: usize) -> AudioBuffer<'_> {
        assert!(
            start.checked_add(frames).is_some_and(|end| end <= self.frames()),
            "window {start}+{frames} outside a block of {}",
            self.frames
        );
        AudioBuffer {
            inputs: self.inputs,
            outputs: self.outputs,
            input_channels: self.input_channels,
            output_channels: self.output_channels,
            offset: self.offset + start as u32,
            frames: frames as u32,
            _host_audio: PhantomData,
        }
    }
}

impl core::fmt::Debug for AudioBuffer<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AudioBuffer")
            .field("inputs", &self.input_channels)
            .field("outputs", &self.output_channels)
            .field("offset", &self.offset)
            .field("frames", &self.frames)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_buffer<R>(
        inputs: &mut [Vec<f32>],
        outputs: &mut [Vec<f32>],
        in_place: bool,
        f: impl FnOnce(&mut AudioBuffer<'_>) -> R,
    ) -> R {
        let frames = outputs[0].len();
        let out_ptrs: Vec<*mut f32> = outputs.iter_mut().map(|c| c.as_mut_ptr()).collect();
        let in_ptrs: Vec<*const f32> = if in_place {
            out_ptrs.iter().map(|&p| p.cast_const()).collect()
        } else {
            inputs.iter().map(|c| c.as_ptr()).collect()
        };
        // SAFETY: the vectors outlive the buffer and are not touched while it lives.
        let mut buffer = unsafe {
            AudioBuffer::from_raw(in_ptrs.as_ptr(), in_ptrs.len(), out_ptrs.as_ptr(), out_ptrs.len(), frames)
        };
        f(&mut buffer)
    }

    #[test]
    fn separate_buffers_are_reported_separate_and_in_place_copies_input() {
        let mut inputs = vec![vec![1.0, 2.0, 3.0], vec![4.0, 5.0, 6.0]];
        let mut outputs = vec![vec![0.0; 3], vec![0.0; 3]];
        with_buffer(&mut inputs, &mut outputs, false, |b| {
            assert!(matches!(b.channel(0), Some(ChannelIo::Separate { .. })));
            let ch = b.in_place(1).unwrap();
            ch.iter_mut().for_each(|s| *s *= 2.0);
        });
        assert_eq!(outputs[1], vec![8.0, 10.0, 12.0]);
        assert_eq!(inputs[1], vec![4.0, 5.0, 6.0], "input untouched");
    }

    #[test]
    fn identical_pointers_are_reported_in_place() {
        let mut outputs = vec![vec![0.5; 4]];
        with_buffer(&mut [], &mut outputs, true, |b| {
            match b.channel(0) {
                Some(ChannelIo::InPlace(s)) => s[0] = 1.0,
                other => panic!("expected in place, got {other:?}"),
            }
            assert_eq!(b.input(0).unwrap()[0], 1.0);
        });
    }

    #[test]
    fn outputs_without_input_are_cleared_by_in_place() {
        let mut inputs = vec![vec![1.0; 2]];
        let mut outputs = vec![vec![9.0; 2], vec![9.0; 2]];
        with_buffer(&mut inputs, &mut outputs, false, |b| {
            assert!(matches!(b.channel(1), Some(ChannelIo::OutputOnly(_))));
            b.in_place(1);
            assert!(b.channel(2).is_none());
        });
        assert_eq!(outputs[1], vec![0.0, 0.0]);
    }

    #[test]
    fn windows_address_the_right_samples() {
        let mut inputs = vec![(0..8).map(|i| i as f32).collect::<Vec<_>>()];
        let mut outputs = vec![vec![0.0; 8]];
        with_buffer(&mut inputs, &mut outputs, false, |b| {
            let mut w = b.window(2, 3);
            assert_eq!(w.frames(), 3);
            assert_eq!(w.input(0).unwrap(), &[2.0, 3.0, 4.0]);
            let mut inner = w.window(1, 2);
            inner.output(0).unwrap().fill(7.0);
        });
        assert_eq!(outputs[0], vec![0.0, 0.0, 0.0, 7.0, 7.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    #[should_panic(expected = "outside a block")]
    fn window_past_the_end_panics() {
        let mut outputs = vec![vec![0.0; 4]];
        with_buffer(&mut [], &mut outputs, true, |b| {
            b.window(3, 2);
        });
    }
}
