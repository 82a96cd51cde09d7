//! The container a shell saves into a project: the plugin's settings, its parameter values by id.
//!
//! A project holds what the user set, never the DSP memory (delay lines, voices): that is carried across
//! reloads only, so a saved project is small, saving it never touches the audio thread, and reopening it
//! does not replay echoes from when it was saved. Projects from overdub before format 3 also hold that
//! memory; they still load, their parameter values restored and the memory dropped (and said so).
//!
//! Hosts hand back whatever bytes a project holds, including another plugin's, a truncated file or noise.
//! The container carries a magic, a format version, its length and a checksum over every other byte, and the
//! plugin's id, so such input is refused with a precise reason before anything is changed.

use thiserror::Error;

const MAGIC: &[u8; 8] = b"OVERDUB\0";
/// The container format this build writes; it reads this and every earlier one.
pub const FORMAT_VERSION: u16 = 3;
/// The last format that carried the logic's DSP memory after the parameters.
const WITH_MEMORY_VERSION: u16 = 2;
/// The first format, whose checksum covered the body only (its header fields are checked one by one).
const BODY_CHECKSUM_VERSION: u16 = 1;
const HEADER_LEN: usize = 8 + 2 + 2 + 4 + 4;
/// Where the checksum sits in the header: it covers everything before and after it.
const CHECKSUM_AT: usize = HEADER_LEN - 4;

/// A plugin's settings, as saved.
#[derive(Clone, Debug, PartialEq)]
pub struct SavedState {
    /// The plugin's id (`LogicInfo::id`, from its `[package.metadata.overdub]`).
    pub plugin_id: String,
    /// `(id, plain value)` for every parameter.
    pub params: Vec<(u32, f64)>,
    /// Bytes of DSP memory an older overdub saved in the project, which are not loaded (0 for format 3).
    pub dropped_memory: usize,
}

/// Why bytes are not a state this plugin can load.
#[derive(Debug, Error, PartialEq)]
pub enum StateFormatError {
    /// The bytes do not start with the overdub magic: another plugin's state, or noise.
    #[error("not an overdub state (no header): it was saved by another plugin or is damaged")]
    NotOverdubState,
    /// Written by a newer overdub whose format this build does not know.
    #[error("saved by a newer overdub (state format {found}); this build reads format {supported}")]
    NewerFormat {
        /// The format in the bytes.
        found: u16,
        /// The newest format this build reads.
        supported: u16,
    },
    /// Fewer bytes than the header declares.
    #[error("truncated: the header declares {declared} bytes of state, {present} are present")]
    Truncated {
        /// Bytes the header declares.
        declared: usize,
        /// Bytes present.
        present: usize,
    },
    /// The checksum does not match: bytes were changed after saving.
    #[error("corrupted: checksum mismatch (stored {stored:08x}, computed {computed:08x})")]
    Corrupted {
        /// Checksum in the header.
        stored: u32,
        /// Checksum of the bytes present.
        computed: u32,
    },
    /// The state belongs to another plugin.
    #[error("this state belongs to plugin `{found}`, not `{expected}`")]
    WrongPlugin {
        /// This plugin's id.
        expected: String,
        /// The id in the state.
        found: String,
    },
    /// A parameter value that no parameter can hold.
    #[error("parameter {id} has the non-finite value {value}")]
    BadValue {
        /// The parameter id.
        id: u32,
        /// The stored value.
        value: f64,
    },
    /// More bytes than the header declares: the length field was altered, or something was appended.
    #[error("corrupted: {extra} bytes follow the end the header declares")]
    TrailingBytes {
        /// Bytes past the declared end.
        extra: usize,
    },
    /// The header names a format no overdub ever wrote.
    #[error("corrupted: the header names state format {0}, which no overdub writes")]
    UnknownFormat(u16),
    /// The body does not parse although the checksum matched (a writer bug).
    #[error("malformed state body: {0}")]
    Malformed(&'static str),
}

impl SavedState {
    /// The container bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut body = Vec::with_capacity(8 + self.plugin_id.len() + self.params.len() * 12);
        body.extend_from_slice(&(self.plugin_id.len() as u32).to_le_bytes());
        body.extend_from_slice(self.plugin_id.as_bytes());
        body.extend_from_slice(&(self.params.len() as u32).to_le_bytes());
        for (id, value) in &self.params {
            body.extend_from_slice(&id.to_le_bytes());
            body.extend_from_slice(&value.to_le_bytes());
        }

        let mut out = Vec::with_capacity(HEADER_LEN + body.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&(body.len() as u32).to_le_bytes());
        out.extend_from_slice(&checksum(&out, &body).to_le_bytes());
        out.extend_from_slice(&body);
        out
    }

    /// Parses and checks container bytes saved by the plugin `plugin_id`.
    pub fn decode(bytes: &[u8], plugin_id: &str) -> Result<Self, StateFormatError> {
        if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
            return Err(StateFormatError::NotOverdubState);
        }
        if bytes.len() < HEADER_LEN {
            return Err(StateFormatError::Truncated { declared: HEADER_LEN, present: bytes.len() });
        }
        let mut header = Cursor::new(&bytes[MAGIC.len()..HEADER_LEN]);
        let version = header.u16()?;
        if version > FORMAT_VERSION {
            return Err(StateFormatError::NewerFormat { found: version, supported: FORMAT_VERSION });
        }
        if version == 0 {
            return Err(StateFormatError::UnknownFormat(version));
        }
        let reserved = header.u16()?;
        let declared = header.u32()? as usize;
        let stored = header.u32()?;
        let body = &bytes[HEADER_LEN..];
        if body.len() < declared {
            return Err(StateFormatError::Truncated {
                declared: HEADER_LEN + declared,
                present: bytes.len(),
            });
        }
        if body.len() > declared {
            return Err(StateFormatError::TrailingBytes { extra: body.len() - declared });
        }
        let computed = if version == BODY_CHECKSUM_VERSION {
            if reserved != 0 {
                return Err(StateFormatError::Malformed("the reserved header field is not zero"));
            }
            crc32fast::hash(body)
        } else {
            checksum(&bytes[..CHECKSUM_AT], body)
        };
        if computed != stored {
            return Err(StateFormatError::Corrupted { stored, computed });
        }

        let mut cursor = Cursor::new(body);
        let id_len = cursor.u32()? as usize;
        let found = std::str::from_utf8(cursor.take(id_len)?)
            .map_err(|_| StateFormatError::Malformed("plugin id is not UTF-8"))?;
        if found != plugin_id {
            return Err(StateFormatError::WrongPlugin {
                expected: plugin_id.to_owned(),
                found: found.to_owned(),
            });
        }
        let count = cursor.u32()? as usize;
        if count > cursor.remaining() / 12 {
            return Err(StateFormatError::Malformed("parameter count exceeds the body"));
        }
        let mut params = Vec::with_capacity(count);
        for _ in 0..count {
            let id = cursor.u32()?;
            let value = f64::from_le_bytes(cursor.take(8)?.try_into().expect("took 8 bytes"));
            if !value.is_finite() {
                return Err(StateFormatError::BadValue { id, value });
            }
            params.push((id, value));
        }
        let dropped_memory = if version <= WITH_MEMORY_VERSION {
            let len = usize::try_from(cursor.u64()?)
                .map_err(|_| StateFormatError::Malformed("logic state length overflows"))?;
            cursor.take(len)?.len()
        } else {
            0
        };
        if cursor.remaining() != 0 {
            return Err(StateFormatError::Malformed("bytes after the parameters"));
        }
        Ok(Self { plugin_id: found.to_owned(), params, dropped_memory })
    }
}

/// CRC-32 of the header before the checksum field and of the body: every byte but the checksum's own.
fn checksum(header: &[u8], body: &[u8]) -> u32 {
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(header);
    hasher.update(body);
    hasher.finalize()
}

struct Cursor<'a> {
    bytes: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self { bytes }
    }
    fn remaining(&self) -> usize {
        self.bytes.len()
    }
    fn take(&mut self, len: usize) -> Result<&'a [u8], StateFormatError> {
        if len > self.bytes.len() {
            return Err(StateFormatError::Malformed("a field runs past the end of the body"));
        }
        let (head, tail) = self.bytes.split_at(len);
        self.bytes = tail;
        Ok(head)
    }
    fn u16(&mut self) -> Result<u16, StateFormatError> {
        Ok(u16::from_le_bytes(self.take(2)?.try_into().expect("took 2 bytes")))
    }
    fn u32(&mut self) -> Result<u32, StateFormatError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("took 4 bytes")))
    }
    fn u64(&mut self) -> Result<u64, StateFormatError> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().expect("took 8 bytes")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SavedState {
        SavedState {
            plugin_id: "com.example.delay".into(),
            params: vec![(1, 0.5), (7, -12.0)],
            dropped_memory: 0,
        }
    }

    /// The sample as an older overdub saved it: in `version`, with `memory` after the parameters.
    fn legacy(version: u16, memory: &[u8]) -> Vec<u8> {
        let v3 = sample().encode();
        let mut body = v3[HEADER_LEN..].to_vec();
        body.extend_from_slice(&(memory.len() as u64).to_le_bytes());
        body.extend_from_slice(memory);
        let mut out = v3[..8].to_vec();
        out.extend_from_slice(&version.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&(body.len() as u32).to_le_bytes());
        let crc =
            if version == BODY_CHECKSUM_VERSION { crc32fast::hash(&body) } else { checksum(&out, &body) };
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&body);
        out
    }

    #[test]
    fn round_trips() {
        let bytes = sample().encode();
        assert_eq!(SavedState::decode(&bytes, "com.example.delay"), Ok(sample()));
    }

    #[test]
    fn random_bytes_are_not_a_state() {
        let noise: Vec<u8> = (0..200u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        assert_eq!(SavedState::decode(&noise, "x"), Err(StateFormatError::NotOverdubState));
        assert_eq!(SavedState::decode(&[], "x"), Err(StateFormatError::NotOverdubState));
    }

    #[test]
    fn every_truncation_is_refused() {
        let bytes = sample().encode();
        for len in MAGIC.len()..bytes.len() {
            let err = SavedState::decode(&bytes[..len], "com.example.delay").unwrap_err();
            assert!(matches!(err, StateFormatError::Truncated { .. }), "len {len}: {err}");
        }
    }

    #[test]
    fn a_flipped_bit_is_caught_by_the_checksum() {
        let mut bytes = sample().encode();
        let last = bytes.len() - 1;
        bytes[last] ^= 0x10;
        assert!(matches!(
            SavedState::decode(&bytes, "com.example.delay"),
            Err(StateFormatError::Corrupted { .. })
        ));
    }

    #[test]
    fn every_single_bit_flip_anywhere_is_refused() {
        let bytes = sample().encode();
        for at in 0..bytes.len() {
            for bit in 0..8 {
                let mut flipped = bytes.clone();
                flipped[at] ^= 1 << bit;
                let decoded = SavedState::decode(&flipped, "com.example.delay");
                assert!(decoded.is_err(), "byte {at} bit {bit} went unnoticed");
            }
        }
    }

    #[test]
    fn bytes_after_the_declared_end_are_refused() {
        let mut bytes = sample().encode();
        bytes.push(0);
        assert_eq!(
            SavedState::decode(&bytes, "com.example.delay"),
            Err(StateFormatError::TrailingBytes { extra: 1 })
        );
    }

    /// Projects saved by formats 1 and 2 (which held the DSP memory) still load their parameter values; the
    /// memory is dropped and counted.
    #[test]
    fn projects_of_the_formats_with_memory_load_their_values_and_drop_the_memory() {
        for version in [BODY_CHECKSUM_VERSION, WITH_MEMORY_VERSION] {
            let decoded = SavedState::decode(&legacy(version, &[7; 300]), "com.example.delay").unwrap();
            assert_eq!(decoded.params, sample().params, "format {version}");
            assert_eq!(decoded.dropped_memory, 300, "format {version}");
        }
    }

    #[test]
    fn a_project_holds_no_memory() {
        let bytes = sample().encode();
        assert_eq!(bytes.len(), HEADER_LEN + 4 + "com.example.delay".len() + 4 + 2 * 12);
    }

    #[test]
    fn another_plugins_state_is_refused_by_id() {
        let bytes = sample().encode();
        let err = SavedState::decode(&bytes, "com.example.gain").unwrap_err();
        assert_eq!(
            err.to_string(),
            "this state belongs to plugin `com.example.delay`, not `com.example.gain`"
        );
    }

    #[test]
    fn a_newer_format_is_not_reinterpreted() {
        let mut bytes = sample().encode();
        bytes[8..10].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
        assert!(matches!(
            SavedState::decode(&bytes, "com.example.delay"),
            Err(StateFormatError::NewerFormat { found: 4, .. })
        ));
    }

    #[test]
    fn non_finite_values_are_refused() {
        let mut state = sample();
        state.params[0].1 = f64::NAN;
        let err = SavedState::decode(&state.encode(), "com.example.delay").unwrap_err();
        assert!(matches!(err, StateFormatError::BadValue { id: 1, .. }));
    }
}
