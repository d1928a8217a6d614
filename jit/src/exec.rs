//! Executable memory: mapped writable, filled, then made read+execute (never both writable and
//! executable), and unmapped on drop.

use std::io;

pub struct ExecMem {
    ptr: *mut u8,
    len: usize,
}

// The memory is immutable once built.
unsafe impl Send for ExecMem {}
unsafe impl Sync for ExecMem {}

impl ExecMem {
    pub fn new(code: &[u8]) -> io::Result<ExecMem> {
        let page = 4096;
        let len = code.len().max(1).div_ceil(page) * page;
        // SAFETY: an anonymous private mapping; checked for failure.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        let mem = ExecMem {
            ptr: ptr as *mut u8,
            len,
        };
        // SAFETY: the mapping is `len >= code.len()` bytes, writable, and ours.
        unsafe {
            std::ptr::copy_nonoverlapping(code.as_ptr(), mem.ptr, code.len());
            if libc::mprotect(ptr, len, libc::PROT_READ | libc::PROT_EXEC) != 0 {
                return Err(io::Error::last_os_error());
            }
        }
        Ok(mem)
    }
    /// The mapped bytes (read+execute memory is readable).
    pub fn bytes(&self) -> &[u8] {
        // SAFETY: the mapping is `len` readable bytes, immutable after `new`.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
    pub fn addr(&self, offset: usize) -> u64 {
        self.ptr as u64 + offset as u64
    }
}

impl Drop for ExecMem {
    fn drop(&mut self) {
        // SAFETY: the mapping made in `new`, unmapped once.
        unsafe {
            libc::munmap(self.ptr as *mut libc::c_void, self.len);
        }
    }
}
