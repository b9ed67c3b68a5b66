//! text reader and writer.
