//! Counting the file I/O a piece of code does on its thread, with a seccomp filter: the kernel traps every
//! write or open the thread makes (from any library in the process, the logic's own standard library
//! included), a signal handler counts it and lets it appear to succeed (writes) or fail (opens).
//!
//! A filter can never be removed from a thread, so the code runs on a thread of its own that ends with it.

use std::cell::Cell;

/// File I/O a closure did on its thread.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Io {
    /// `write`, `writev`, `pwrite64`, `pwritev`, `pwritev2` calls.
    pub writes: u64,
    /// `open`, `openat`, `openat2` calls.
    pub opens: u64,
}

thread_local! {
    static WRITES: Cell<u64> = const { Cell::new(0) };
    static OPENS: Cell<u64> = const { Cell::new(0) };
}

/// Runs `f` on a new thread whose every write and open is trapped and counted (writes report success, opens
/// fail with `EACCES`); returns what `f` returned and the count.
pub fn count_io<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> (R, Io) {
    std::thread::spawn(move || {
        trap_io_on_this_thread();
        let result = f();
        let io = Io { writes: WRITES.with(Cell::get), opens: OPENS.with(Cell::get) };
        (result, io)
    })
    .join()
    .expect("the counted code does not panic")
}

const WRITE_CALLS: [libc::c_long; 5] =
    [libc::SYS_write, libc::SYS_writev, libc::SYS_pwrite64, libc::SYS_pwritev, libc::SYS_pwritev2];
const OPEN_CALLS: [libc::c_long; 3] = [libc::SYS_open, libc::SYS_openat, libc::SYS_openat2];

extern "C" fn on_trapped_call(_signal: libc::c_int, info: *mut libc::siginfo_t, context: *mut libc::c_void) {
    // SAFETY: the kernel passes a valid `siginfo_t` for a SIGSYS raised by seccomp, whose syscall number sits
    // right after the standard fields (`si_call_addr`, `si_syscall`); and a valid `ucontext_t` as `context`
    // for a handler installed with SA_SIGINFO, whose registers the handler may change to set the result.
    unsafe {
        let syscall = *info.cast::<u8>().add(24).cast::<libc::c_int>();
        let registers = &mut (*context.cast::<libc::ucontext_t>()).uc_mcontext.gregs;
        if WRITE_CALLS.contains(&libc::c_long::from(syscall)) {
            WRITES.with(|n| n.set(n.get() + 1));
            // "Wrote" every byte asked for (the count is the third argument), so nothing loops on a short write.
            registers[libc::REG_RAX as usize] = registers[libc::REG_RDX as usize];
        } else {
            OPENS.with(|n| n.set(n.get() + 1));
            registers[libc::REG_RAX as usize] = -i64::from(libc::EACCES);
        }
    }
}

fn trap_io_on_this_thread() {
    let statement = |code: u32, k: u32| libc::sock_filter { code: code as u16, jt: 0, jf: 0, k };
    let jump_if = |k: libc::c_long, to_trap: u8| libc::sock_filter {
        code: (libc::BPF_JMP | libc::BPF_JEQ | libc::BPF_K) as u16,
        jt: to_trap,
        jf: 0,
        k: k as u32,
    };
    let calls: Vec<libc::c_long> = WRITE_CALLS.iter().chain(&OPEN_CALLS).copied().collect();
    // Load the syscall number; for each traced call, jump to the trap; otherwise allow.
    let mut program = vec![statement(libc::BPF_LD | libc::BPF_W | libc::BPF_ABS, 0)];
    for (i, &call) in calls.iter().enumerate() {
        program.push(jump_if(call, (calls.len() - i) as u8));
    }
    program.push(statement(libc::BPF_RET | libc::BPF_K, libc::SECCOMP_RET_ALLOW));
    program.push(statement(libc::BPF_RET | libc::BPF_K, libc::SECCOMP_RET_TRAP));
    let fprog = libc::sock_fprog { len: program.len() as u16, filter: program.as_mut_ptr() };
    // SAFETY: a zeroed `sigaction` is a valid empty one, completed with a handler of the SA_SIGINFO signature;
    // `prctl(PR_SET_NO_NEW_PRIVS)` and `seccomp(SET_MODE_FILTER)` take the documented arguments, and the
    // program outlives the call (the kernel copies it).
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_trapped_call as *const () as usize;
        action.sa_flags = libc::SA_SIGINFO;
        assert_eq!(libc::sigaction(libc::SIGSYS, &action, std::ptr::null_mut()), 0, "install the handler");
        assert_eq!(libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0, "no new privileges");
        let set = libc::syscall(libc::SYS_seccomp, libc::SECCOMP_SET_MODE_FILTER, 0, &fprog);
        assert_eq!(set, 0, "install the filter: {}", std::io::Error::last_os_error());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn writes_and_opens_are_counted_and_code_without_them_counts_none() {
        let ((), io) = count_io(|| {
            let _ = std::io::stderr().write_all(b"");
            let _ = writeln!(std::io::stderr(), "a line on stderr");
            let _ = std::fs::File::open("/etc/hostname");
        });
        assert_eq!(io, Io { writes: 1, opens: 1 });
        let (sum, io) = count_io(|| (0..1000u64).sum::<u64>());
        assert_eq!(sum, 499_500);
        assert_eq!(io, Io::default());
    }
}
