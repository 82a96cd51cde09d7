//! Content hashing, to skip reloading a file whose bytes did not change.
//!
//! xxh3 hashes at memory bandwidth (tens of GB/s), where the reference design's bitwise CRC-32 manages about
//! 0.3 GB/s: for a 150 MiB debug library that is the difference between milliseconds and half a second.

use std::fs::File;
use std::io::{self, Read, Write};
use xxhash_rust::xxh3::Xxh3;

/// Bytes read per step: large enough to amortise system calls, small enough to stay in cache.
const CHUNK: usize = 1 << 20;

/// Hash and length of everything `reader` yields.
pub fn hash_reader(mut reader: impl Read) -> io::Result<(u64, u64)> {
    let mut hasher = Xxh3::new();
    let mut buffer = vec![0u8; CHUNK];
    let mut len = 0u64;
    loop {
        let n = reader.read(&mut buffer)?;
        if n == 0 {
            return Ok((hasher.digest(), len));
        }
        hasher.update(&buffer[..n]);
        len += n as u64;
    }
}

/// Copies `source` to `dest` and hashes it in the same pass.
pub fn copy_and_hash(source: &mut File, dest: &mut File) -> io::Result<(u64, u64)> {
    let mut hasher = Xxh3::new();
    let mut buffer = vec![0u8; CHUNK];
    let mut len = 0u64;
    loop {
        let n = source.read(&mut buffer)?;
        if n == 0 {
            dest.flush()?;
            return Ok((hasher.digest(), len));
        }
        hasher.update(&buffer[..n]);
        dest.write_all(&buffer[..n])?;
        len += n as u64;
    }
}

/// Hash of a byte slice, as [`hash_reader`] computes it.
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streaming_hash_equals_one_shot_hash_across_chunk_boundaries() {
        let data: Vec<u8> = (0..(CHUNK * 2 + 123)).map(|i| (i * 7 % 251) as u8).collect();
        let (hash, len) = hash_reader(&data[..]).unwrap();
        assert_eq!(len, data.len() as u64);
        assert_eq!(hash, hash_bytes(&data));
    }
}
