//! Enforcing a glossary on a translation, however it was made: known wrong forms become the
//! rendering (endings kept), and source terms whose rendering is missing are reported, never
//! silently inserted.

use super::protect::Edits;
use super::report::{Outcome, Use};
use super::PairGlossary;

/// Post-edits `target`, a translation into `glossary.to`: every known wrong form is replaced by
/// the rendering, keeping a possessive or plural ending. With `source`, every source term whose
/// rendering is then missing from the translation is a violation.
///
/// Returns the edited text and what was found.
pub fn enforce(glossary: &PairGlossary, source: Option<&str>, target: &str) -> (String, Outcome) {
    let (text, outcome, _) = enforce_with_edits(glossary, source, target);
    (text, outcome)
}

/// [`enforce`], also giving the replacements made, to map places of `target` (where inline
/// markup goes) to the edited text.
pub fn enforce_with_edits(
    glossary: &PairGlossary,
    source: Option<&str>,
    target: &str,
) -> (String, Outcome, Edits) {
    let mut outcome = Outcome::default();
    let mut fixed = String::with_capacity(target.len());
    let mut edits = Vec::new();
    let mut pos = 0;
    for h in glossary.find_targets(target) {
        let Some(entry) = glossary.entries.get(h.entry) else {
            continue;
        };
        if !h.wrong {
            outcome.forms.push((
                entry.target.clone(),
                target[h.range.start..h.stem_end].to_string(),
            ));
            continue;
        }
        let wrong = &target[h.range.start..h.stem_end];
        fixed.push_str(&target[pos..h.range.start]);
        let new_start = fixed.len();
        let shouted = wrong.chars().filter(|c| c.is_alphabetic()).nth(1).is_some()
            && !wrong.chars().any(char::is_lowercase)
            && entry.target.chars().any(char::is_lowercase);
        if shouted {
            fixed.push_str(&entry.target.to_uppercase());
        } else {
            fixed.push_str(&entry.target);
        }
        edits.push((h.range.start..h.stem_end, new_start..fixed.len()));
        fixed.push_str(&target[h.stem_end..h.range.end]);
        pos = h.range.end;
        outcome
            .forms
            .push((entry.target.clone(), wrong.to_string()));
        outcome.fixes.push(Use {
            source: wrong.to_string(),
            target: entry.target.clone(),
        });
    }
    fixed.push_str(&target[pos..]);
    if let Some(source) = source {
        let present: std::collections::HashSet<usize> = glossary
            .find_renderings(&fixed)
            .into_iter()
            .map(|h| h.entry)
            .collect();
        let mut done = std::collections::HashSet::new();
        for h in glossary.find_sources(source) {
            if !done.insert(h.entry) {
                continue;
            }
            let Some(entry) = glossary.entries.get(h.entry) else {
                continue;
            };
            let u = Use {
                source: source[h.range.clone()].to_string(),
                target: entry.target.clone(),
            };
            if present.contains(&h.entry) {
                outcome.applied.push(u);
            } else {
                outcome.violations.push(u);
            }
        }
    }
    (fixed, outcome, Edits(edits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::load::parse_delimited;
    use crate::glossary::Glossary;
    use crate::lang::Lang;

    #[test]
    fn variants_fixed_endings_kept_missing_reported() {
        let text = "src_lang\ttgt_lang\tsource\ttarget\tvariants\tcase\tnote\n\
                    de\ten\tTokajew\tTokayev\tTokaev|Tokajev\tinsensitive\t\n\
                    de\ten\tRachmon\tRakhmon\tRahmon\t\t\n\
                    de\ten\tKiew\tKyiv\tKiev\t\t\n";
        let g = Glossary::from_entries(parse_delimited("t.tsv", text, '\t').expect("valid"));
        let (de, en) = (
            Lang::from_code("de").expect("de"),
            Lang::from_code("en").expect("en"),
        );
        let g = g.for_pair(de, en).expect("compiles").expect("entries");
        let (fixed, o) = enforce(
            &g,
            Some("Tokajew, Rachmon und Kiew."),
            "Tokaev's visit: TOKAJEV, the Tokajews and Rahmon. Kievan Rus.",
        );
        assert_eq!(
            fixed,
            "Tokayev's visit: TOKAYEV, the Tokayevs and Rakhmon. Kievan Rus."
        );
        assert_eq!(o.fixes.len(), 4);
        assert_eq!(o.applied.len(), 2);
        assert_eq!(o.violations.len(), 1);
        assert_eq!(o.violations[0].target, "Kyiv");
    }
}
