//! The control's own copies of the strings a logic declares (its id and name, its parameters' names and
//! units), so what a control serves to a host stays valid after the build that declared them is unloaded.
//!
//! Each distinct string (and parameter list) is copied once per process and kept: a long session of reloads
//! adds only the names that changed.

use overdub_abi::{LogicInfo, ParamInfo};
use std::collections::HashSet;
use std::sync::Mutex;

static STRINGS: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);
static LISTS: Mutex<Vec<&'static [ParamInfo]>> = Mutex::new(Vec::new());

/// `text`, as a string of the process's own.
pub fn string(text: &str) -> &'static str {
    let mut strings = STRINGS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let strings = strings.get_or_insert_with(HashSet::new);
    if let Some(&kept) = strings.get(text) {
        return kept;
    }
    let kept: &'static str = Box::leak(text.to_owned().into_boxed_str());
    strings.insert(kept);
    kept
}

/// `info` with its strings the process's own.
pub fn param(info: &ParamInfo) -> ParamInfo {
    ParamInfo { name: string(info.name), unit: string(info.unit), ..*info }
}

/// `infos` as a list of the process's own.
pub fn params(infos: &[ParamInfo]) -> &'static [ParamInfo] {
    let owned: Vec<ParamInfo> = infos.iter().map(param).collect();
    let mut lists = LISTS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(&kept) = lists.iter().find(|kept| ***kept == owned[..]) {
        return kept;
    }
    let kept: &'static [ParamInfo] = Box::leak(owned.into_boxed_slice());
    lists.push(kept);
    kept
}

/// `info` with every string and the parameter list the process's own.
pub fn info(info: &LogicInfo) -> LogicInfo {
    LogicInfo { id: string(info.id), name: string(info.name), params: params(info.params), ..*info }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_strings_and_lists_are_kept_once_and_outlive_their_source() {
        let source = String::from("Gain");
        let a = string(&source);
        drop(source);
        assert_eq!(a, "Gain");
        assert!(std::ptr::eq(a, string("Gain")));
        let list = [ParamInfo::new(1, "Gain").unit("dB")];
        assert!(std::ptr::eq(params(&list), params(&list)));
        assert_eq!(params(&list), &list);
    }
}
