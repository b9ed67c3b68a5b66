//! Apertium backend: runs Debian's `apertium` command for a language pair.
