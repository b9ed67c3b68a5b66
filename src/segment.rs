//! Sentence segmentation for news text.
//!
//! STUB — to be written: rule-based splitter with per-language abbreviation lists.

use std::collections::HashMap;
use std::ops::Range;

use serde::Deserialize;

use crate::doc::{Document, Segment};
use crate::lang::Lang;

/// Segmenter settings from the `[segment]` table of the config.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentConfig {
    /// Extra abbreviations per ISO 639-1 code (without the final dot, e.g. `"Abs"`), added to
    /// the built-in lists. The key `"*"` applies to every language.
    #[serde(default)]
    pub abbreviations: HashMap<String, Vec<String>>,
}

/// Splits text into sentences.
#[derive(Debug, Clone, Default)]
pub struct Segmenter {}

impl Segmenter {
    /// A segmenter with the built-in rules plus those of `config`.
    pub fn new(_config: &SegmentConfig) -> Self {
        Segmenter {}
    }

    /// Byte spans of the sentences of `text`, in order, without surrounding whitespace.
    /// `lang` selects the abbreviation rules (`None`: all languages' rules together).
    pub fn split(&self, text: &str, _lang: Option<Lang>) -> Vec<Range<usize>> {
        let start = text.len() - text.trim_start().len();
        let end = text.trim_end().len();
        if start >= end {
            Vec::new()
        } else {
            vec![start..end]
        }
    }

    /// Fills `segments` of every translatable block of `doc` and numbers them.
    /// Uses `doc.lang` (if set) for the abbreviation rules.
    pub fn segment_document(&self, doc: &mut Document) {
        let lang = doc.lang.map(|d| d.lang);
        for block in &mut doc.blocks {
            block.segments.clear();
            if !block.kind.is_translatable() {
                continue;
            }
            for span in self.split(&block.text, lang) {
                block.segments.push(Segment::new(0, &block.text, span));
            }
        }
        doc.number_segments();
    }
}
