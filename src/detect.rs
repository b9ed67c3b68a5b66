//! Language detection: `whatlang` per segment, limited to candidate languages and steadied by
//! the document's language.
//!
//! STUB — to be written.

use crate::doc::{Detection, DetectionSource, Document};
use crate::lang::Lang;

/// Detects languages of documents and segments.
#[derive(Debug, Clone)]
pub struct Detector {
    candidates: Vec<Lang>,
}

impl Detector {
    /// A detector choosing among `candidates` (empty: every language whatlang knows).
    pub fn new(candidates: Vec<Lang>) -> Self {
        Detector { candidates }
    }

    /// The candidate languages (empty: all).
    pub fn candidates(&self) -> &[Lang] {
        &self.candidates
    }

    /// Detects the language of `text` on its own, with no prior. `None` if there is too
    /// little text to tell.
    pub fn detect(&self, text: &str) -> Option<Detection> {
        let info = whatlang::detect(text)?;
        let lang = Lang::from_whatlang(info.lang())?;
        Some(Detection {
            lang,
            confidence: info.confidence(),
            source: DetectionSource::Detected,
        })
    }

    /// Detects the language of one segment of a document whose language is `prior`.
    pub fn detect_in_context(&self, text: &str, prior: Option<Lang>) -> Option<Detection> {
        match (self.detect(text), prior) {
            (Some(d), _) => Some(d),
            (None, Some(p)) => Some(Detection {
                lang: p,
                confidence: 0.0,
                source: DetectionSource::Inherited,
            }),
            (None, None) => None,
        }
    }

    /// Sets `doc.lang` (from all its text) and the language of every segment.
    pub fn detect_document(&self, doc: &mut Document) {
        let all: Vec<&str> = doc.segments().map(|s| s.text.as_str()).collect();
        doc.lang = self.detect(&all.join(" "));
        let prior = doc.lang.map(|d| d.lang);
        for seg in doc.segments_mut() {
            seg.lang = self.detect_in_context(&seg.text, prior);
        }
    }
}
