//! Reply review (placeholder).
