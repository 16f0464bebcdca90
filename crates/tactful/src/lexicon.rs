//! Embedded lexicons (placeholder).
