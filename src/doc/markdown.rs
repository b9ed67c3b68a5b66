//! markdown reader and writer.
