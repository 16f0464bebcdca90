//! C ABI for tactful (work in progress).
