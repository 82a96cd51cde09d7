//! The host's numeric parameter id, derived from the parameter's string id.
//!
//! Hosts refer to parameters by a `u32` (CLAP's `clap_id`, automation lanes, saved projects). Authors name
//! them by a string (`#[param(id = "gain")]`). The number is a pure function of the string, computed the
//! same way by every build and every version of overdub: **32-bit FNV-1a over the string's UTF-8 bytes, with
//! the top bit cleared** (hosts reserve ids from 2³¹ up, and CLAP's invalid id is `u32::MAX`). This function
//! must never change: a changed id orphans every automation lane and saved value a user has.

/// The numeric id of the parameter whose string id is `id`; see the [module docs](self).
pub const fn param_id(id: &str) -> u32 {
    let bytes = id.as_bytes();
    let mut hash: u32 = 0x811c_9dc5;
    let mut index = 0;
    while index < bytes.len() {
        hash ^= bytes[index] as u32;
        hash = hash.wrapping_mul(0x0100_0193);
        index += 1;
    }
    hash & 0x7fff_ffff
}

/// The positions of the first two equal ids in `ids`, if any: the check `#[derive(Params)]` runs at compile
/// time, so two string ids that hash to one number fail the build instead of sharing automation.
pub const fn first_collision(ids: &[u32]) -> Option<(usize, usize)> {
    let mut a = 0;
    while a < ids.len() {
        let mut b = a + 1;
        while b < ids.len() {
            if ids[a] == ids[b] {
                return Some((a, b));
            }
            b += 1;
        }
        a += 1;
    }
    None
}

/// Fails compilation (in a `const` item) when two ids are equal; used by `#[derive(Params)]`.
#[doc(hidden)]
pub const fn assert_unique_ids(ids: &[u32]) {
    if first_collision(ids).is_some() {
        panic!("two parameters' string ids hash to the same numeric id: change one of the string ids");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_the_documented_hash_forever() {
        assert_eq!(param_id("gain"), 458_499_838);
        assert_eq!(param_id("feedback"), 914_662_914);
        assert_eq!(param_id(""), 0x811c_9dc5 & 0x7fff_ffff);
    }

    #[test]
    fn ids_stay_below_the_hosts_reserved_range() {
        for id in ["gain", "time", "mix", "a-very-long-parameter-identifier", "ünïcode"] {
            assert!(param_id(id) < 1 << 31, "{id}");
        }
    }

    #[test]
    fn colliding_string_ids_are_found() {
        let (a, b) = (param_id("p_acbjm"), param_id("p_mbaba"));
        assert_eq!(a, b, "a known FNV-1a collision of the 31-bit ids");
        assert_eq!(first_collision(&[param_id("gain"), a, param_id("mix"), b]), Some((1, 3)));
        assert_eq!(first_collision(&[param_id("gain"), param_id("mix")]), None);
    }
}
