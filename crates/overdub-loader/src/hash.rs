//! Content hashing, to skip reloading a file whose bytes did not change.
//!
//! xxh3 hashes at memory bandwidth (tens of GB/s), where the reference design's bitwise CRC-32 manages about
//! 0.3 GB/s: for a 150 MiB debug library that is the difference between milliseconds and half a second. The
//! staging copy hashes as it copies ([`crate::staging`]); this is the same hash of bytes in memory.

/// Hash of a byte slice, as staging computes it of the bytes it copies.
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}
