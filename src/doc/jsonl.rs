//! jsonl reader and writer.
