//! Frame-wise access to a block: one sample of every output channel at a time, the shape most DSP code has
//! (a smoothed parameter advances once per frame, a stereo effect reads both channels of a frame together).

use crate::buffer::AudioBuffer;
use core::marker::PhantomData;

impl AudioBuffer<'_> {
    /// The block frame by frame, over the outputs, each output holding its input first: copied over when the
    /// host gave separate memory, silence where there is no input (an instrument). Write each frame's samples
    /// in place.
    pub fn frames_mut(&mut self) -> Frames<'_> {
        for channel in 0..self.output_channels() {
            self.in_place(channel);
        }
        Frames {
            outputs: self.outputs,
            channels: self.output_channels as usize,
            offset: self.offset as usize,
            next: 0,
            frames: self.frames as usize,
            _buffer: PhantomData,
        }
    }
}

/// The frames of a block, in order; see [`AudioBuffer::frames_mut`].
pub struct Frames<'b> {
    outputs: *const *mut f32,
    channels: usize,
    offset: usize,
    next: usize,
    frames: usize,
    _buffer: PhantomData<&'b mut [f32]>,
}

/// One sample of every output channel, at one position of the block.
pub struct Frame<'b> {
    outputs: *const *mut f32,
    channels: usize,
    at: usize,
    index: usize,
    _samples: PhantomData<&'b mut f32>,
}

impl<'b> Iterator for Frames<'b> {
    type Item = Frame<'b>;

    #[inline]
    fn next(&mut self) -> Option<Frame<'b>> {
        if self.next >= self.frames {
            return None;
        }
        let index = self.next;
        self.next += 1;
        Some(Frame {
            outputs: self.outputs,
            channels: self.channels,
            at: self.offset + index,
            index,
            _samples: PhantomData,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.frames - self.next;
        (left, Some(left))
    }
}

impl ExactSizeIterator for Frames<'_> {}

impl Frame<'_> {
    /// Position of this frame in the block (or window) being processed, matching event times.
    pub fn index(&self) -> usize {
        self.index
    }

    /// Number of channels.
    pub fn channels(&self) -> usize {
        self.channels
    }

    fn sample_ptr(&self, channel: usize) -> Option<*mut f32> {
        if channel >= self.channels {
            return None;
        }
        // SAFETY: `outputs` holds `channels` channel pointers (AudioBuffer::from_raw's contract), each valid
        // for the block's `offset + frames` samples, and `at` lies below that.
        Some(unsafe { (*self.outputs.add(channel)).add(self.at) })
    }

    /// The sample of `channel`.
    pub fn get(&self, channel: usize) -> Option<f32> {
        // SAFETY: a valid sample of this frame; no `&mut` to it lives while `&self` does.
        self.sample_ptr(channel).map(|ptr| unsafe { *ptr })
    }

    /// The sample of `channel`, to write.
    pub fn get_mut(&mut self, channel: usize) -> Option<&mut f32> {
        // SAFETY: frames of one iteration address distinct samples and channels do not overlap, so this
        // sample is reachable only through this frame, which `&mut self` borrows exclusively.
        self.sample_ptr(channel).map(|ptr| unsafe { &mut *ptr })
    }

    /// Every channel's sample, to read and write.
    pub fn iter_mut(&mut self) -> FrameSamples<'_> {
        FrameSamples {
            outputs: self.outputs,
            channels: self.channels,
            at: self.at,
            channel: 0,
            _frame: PhantomData,
        }
    }

    /// Writes `value` to every channel.
    pub fn fill(&mut self, value: f32) {
        for sample in self.iter_mut() {
            *sample = value;
        }
    }
}

/// The samples of one frame, channel by channel; see [`Frame::iter_mut`].
pub struct FrameSamples<'f> {
    outputs: *const *mut f32,
    channels: usize,
    at: usize,
    channel: usize,
    _frame: PhantomData<&'f mut f32>,
}

impl<'f> Iterator for FrameSamples<'f> {
    type Item = &'f mut f32;

    #[inline]
    fn next(&mut self) -> Option<&'f mut f32> {
        if self.channel >= self.channels {
            return None;
        }
        // SAFETY: as in `Frame::sample_ptr`: a channel pointer of the buffer and a sample inside the block.
        let ptr = unsafe { (*self.outputs.add(self.channel)).add(self.at) };
        self.channel += 1;
        // SAFETY: each channel is yielded once and channels do not overlap, so the references are disjoint;
        // the frame they belong to stays borrowed exclusively for `'f`.
        Some(unsafe { &mut *ptr })
    }
}

impl<'f, 'b: 'f> IntoIterator for &'f mut Frame<'b> {
    type Item = &'f mut f32;
    type IntoIter = FrameSamples<'f>;

    fn into_iter(self) -> FrameSamples<'f> {
        self.iter_mut()
    }
}

#[cfg(test)]
mod tests {
    use crate::AudioBuffer;

    #[test]
    fn frames_see_every_channel_at_each_position_with_the_input_in_place() {
        let inputs = [vec![1.0f32, 2.0, 3.0], vec![10.0, 20.0, 30.0]];
        let mut outputs = [vec![0.0f32; 3], vec![0.0; 3], vec![9.0; 3]];
        let in_ptrs: Vec<*const f32> = inputs.iter().map(|c| c.as_ptr()).collect();
        let out_ptrs: Vec<*mut f32> = outputs.iter_mut().map(|c| c.as_mut_ptr()).collect();
        // SAFETY: the vectors outlive the buffer and are not touched while it lives.
        let mut buffer = unsafe { AudioBuffer::from_raw(in_ptrs.as_ptr(), 2, out_ptrs.as_ptr(), 3, 3) };
        let mut seen = Vec::new();
        for mut frame in buffer.window(1, 2).frames_mut() {
            seen.push((frame.index(), frame.get(0), frame.get(1), frame.get(2), frame.get(3)));
            for (channel, sample) in frame.iter_mut().enumerate() {
                *sample += channel as f32 * 100.0;
            }
        }
        assert_eq!(
            seen,
            [(0, Some(2.0), Some(20.0), Some(0.0), None), (1, Some(3.0), Some(30.0), Some(0.0), None)]
        );
        assert_eq!(outputs[0], [0.0, 2.0, 3.0]);
        assert_eq!(outputs[1], [0.0, 120.0, 130.0]);
        assert_eq!(outputs[2], [9.0, 200.0, 200.0], "a channel without input starts silent");
    }
}
