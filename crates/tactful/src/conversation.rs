//! Conversation tracking (placeholder).
