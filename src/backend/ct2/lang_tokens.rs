//! Language tokens of multilingual models: NLLB (`eng_Latn`), M2M-100 (`__en__`) and
//! OPUS-MT multi-target (`>>deu<<`) codes, and which of them a language pair needs.

use std::collections::HashSet;

use crate::backend::LangPair;
use crate::lang::Lang;

/// The FLORES-200 code NLLB uses for `lang` (e.g. `de` → `deu_Latn`, `fa` → `pes_Arab`), or
/// `None` if NLLB does not cover it.
pub fn nllb_code(lang: Lang) -> Option<&'static str> {
    let code = match lang.code() {
        "af" => "afr_Latn",
        "ak" => "aka_Latn",
        "am" => "amh_Ethi",
        "ar" => "arb_Arab",
        "az" => "azj_Latn",
        "be" => "bel_Cyrl",
        "bg" => "bul_Cyrl",
        "bn" => "ben_Beng",
        "bs" => "bos_Latn",
        "ca" => "cat_Latn",
        "cs" => "ces_Latn",
        "cy" => "cym_Latn",
        "da" => "dan_Latn",
        "de" => "deu_Latn",
        "el" => "ell_Grek",
        "en" => "eng_Latn",
        "eo" => "epo_Latn",
        "es" => "spa_Latn",
        "et" => "est_Latn",
        "eu" => "eus_Latn",
        "fa" => "pes_Arab",
        "fi" => "fin_Latn",
        "fr" => "fra_Latn",
        "ga" => "gle_Latn",
        "gl" => "glg_Latn",
        "gu" => "guj_Gujr",
        "he" => "heb_Hebr",
        "hi" => "hin_Deva",
        "hr" => "hrv_Latn",
        "hu" => "hun_Latn",
        "hy" => "hye_Armn",
        "id" => "ind_Latn",
        "is" => "isl_Latn",
        "it" => "ita_Latn",
        "ja" => "jpn_Jpan",
        "jv" => "jav_Latn",
        "ka" => "kat_Geor",
        "kk" => "kaz_Cyrl",
        "km" => "khm_Khmr",
        "kn" => "kan_Knda",
        "ko" => "kor_Hang",
        "ky" => "kir_Cyrl",
        "lt" => "lit_Latn",
        "lv" => "lvs_Latn",
        "mk" => "mkd_Cyrl",
        "ml" => "mal_Mlym",
        "mn" => "khk_Cyrl",
        "mr" => "mar_Deva",
        "ms" => "zsm_Latn",
        "my" => "mya_Mymr",
        "nb" => "nob_Latn",
        "ne" => "npi_Deva",
        "nl" => "nld_Latn",
        "nn" => "nno_Latn",
        "or" => "ory_Orya",
        "pa" => "pan_Guru",
        "pl" => "pol_Latn",
        "ps" => "pbt_Arab",
        "pt" => "por_Latn",
        "ro" => "ron_Latn",
        "ru" => "rus_Cyrl",
        "si" => "sin_Sinh",
        "sk" => "slk_Latn",
        "sl" => "slv_Latn",
        "sn" => "sna_Latn",
        "so" => "som_Latn",
        "sq" => "als_Latn",
        "sr" => "srp_Cyrl",
        "st" => "sot_Latn",
        "sv" => "swe_Latn",
        "sw" => "swh_Latn",
        "ta" => "tam_Taml",
        "te" => "tel_Telu",
        "tg" => "tgk_Cyrl",
        "th" => "tha_Thai",
        "tk" => "tuk_Latn",
        "tl" => "tgl_Latn",
        "tr" => "tur_Latn",
        "uk" => "ukr_Cyrl",
        "ur" => "urd_Arab",
        "uz" => "uzn_Latn",
        "vi" => "vie_Latn",
        "xh" => "xho_Latn",
        "yi" => "ydd_Hebr",
        "yo" => "yor_Latn",
        "zh" => "zho_Hans",
        "zu" => "zul_Latn",
        _ => return None,
    };
    Some(code)
}

/// How a multilingual model names its languages in the vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LangTokenStyle {
    /// NLLB: `eng_Latn`. Source `[src_code] tokens </s>`, target prefix `[tgt_code]`.
    Nllb,
    /// M2M-100: `__en__`. Source `[__src__] tokens </s>`, target prefix `[__tgt__]`.
    M2m,
    /// OPUS-MT multi-target models: `>>deu<<` as the first source token, no target prefix.
    Opus,
}

pub(super) fn is_nllb_token(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() == 8
        && b[..3].iter().all(u8::is_ascii_lowercase)
        && b[3] == b'_'
        && b[4].is_ascii_uppercase()
        && b[5..].iter().all(u8::is_ascii_lowercase)
}

pub(super) fn is_m2m_token(t: &str) -> bool {
    t.strip_prefix("__")
        .and_then(|r| r.strip_suffix("__"))
        .is_some_and(|c| (2..=3).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_lowercase()))
}

pub(super) fn is_opus_token(t: &str) -> bool {
    t.strip_prefix(">>")
        .and_then(|r| r.strip_suffix("<<"))
        .is_some_and(|c| {
            (2..=8).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_')
        })
}

/// The language tokens found in a model's vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LangTokens {
    /// Naming convention.
    pub style: LangTokenStyle,
    /// Every language token of that style in the vocabulary.
    pub codes: HashSet<String>,
}

impl LangTokens {
    /// Looks for language tokens in `vocab`; `None` if the model is not multilingual (fewer than
    /// two tokens of any one style).
    pub fn detect<'a>(vocab: impl IntoIterator<Item = &'a str>) -> Option<LangTokens> {
        let mut nllb = HashSet::new();
        let mut m2m = HashSet::new();
        let mut opus = HashSet::new();
        for t in vocab {
            if is_nllb_token(t) {
                nllb.insert(t.to_string());
            } else if is_m2m_token(t) {
                m2m.insert(t.to_string());
            } else if is_opus_token(t) {
                opus.insert(t.to_string());
            }
        }
        [
            (LangTokenStyle::Nllb, nllb),
            (LangTokenStyle::M2m, m2m),
            (LangTokenStyle::Opus, opus),
        ]
        .into_iter()
        .filter(|(_, codes)| codes.len() >= 2)
        .max_by_key(|(_, codes)| codes.len())
        .map(|(style, codes)| LangTokens { style, codes })
    }

    /// The token naming `lang` in this model, if the vocabulary has one.
    pub fn token_for(&self, lang: Lang) -> Option<String> {
        let mut candidates: Vec<String> = Vec::new();
        match self.style {
            LangTokenStyle::Nllb => {
                if let Some(c) = nllb_code(lang) {
                    candidates.push(c.to_string());
                }
                // Another script or variety of the same language, in a stable order.
                let prefix = format!("{}_", lang.iso3());
                let mut others: Vec<&String> = self
                    .codes
                    .iter()
                    .filter(|c| c.starts_with(&prefix))
                    .collect();
                others.sort();
                candidates.extend(others.into_iter().cloned());
            }
            LangTokenStyle::M2m => {
                candidates.push(format!("__{}__", lang.code()));
                if lang.code() == "nb" {
                    candidates.push("__no__".into());
                }
                candidates.push(format!("__{}__", lang.iso3()));
            }
            LangTokenStyle::Opus => {
                candidates.push(format!(">>{}<<", lang.iso3()));
                if let Some(base) = nllb_code(lang).and_then(|c| c.split('_').next()) {
                    candidates.push(format!(">>{base}<<"));
                }
                if let Some(c) = nllb_code(lang) {
                    candidates.push(format!(">>{c}<<"));
                }
                candidates.push(format!(">>{}<<", lang.code()));
            }
        }
        candidates.into_iter().find(|c| self.codes.contains(c))
    }
}

/// The language tokens a segment is translated with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PairTokens {
    /// Tokens put before the source tokens (NLLB/M2M source code, OPUS `>>xxx<<`).
    pub source_prefix: Vec<String>,
    /// Tokens the target is forced to start with (removed from the output again).
    pub target_prefix: Vec<String>,
}

/// Chooses the language tokens for `pair`.
///
/// `override_prefix` (from [`Ct2Options::target_prefix`], whitespace-separated tokens) wins over
/// the vocabulary. Returns `None` when the model is multilingual but has no token for the target
/// language.
pub fn select_pair_tokens(
    lang_tokens: Option<&LangTokens>,
    override_prefix: Option<&str>,
    pair: LangPair,
) -> Option<PairTokens> {
    let override_tokens: Option<Vec<String>> = override_prefix
        .map(|p| p.split_whitespace().map(str::to_string).collect())
        .filter(|v: &Vec<String>| !v.is_empty());
    let Some(lt) = lang_tokens else {
        return Some(PairTokens {
            source_prefix: Vec::new(),
            target_prefix: override_tokens.unwrap_or_default(),
        });
    };
    match lt.style {
        LangTokenStyle::Nllb | LangTokenStyle::M2m => {
            let target_prefix = match override_tokens {
                Some(t) => t,
                None => vec![lt.token_for(pair.to)?],
            };
            let source_prefix = lt.token_for(pair.from).into_iter().collect();
            Some(PairTokens {
                source_prefix,
                target_prefix,
            })
        }
        LangTokenStyle::Opus => match override_tokens {
            Some(t) => Some(PairTokens {
                source_prefix: Vec::new(),
                target_prefix: t,
            }),
            None => Some(PairTokens {
                source_prefix: vec![lt.token_for(pair.to)?],
                target_prefix: Vec::new(),
            }),
        },
    }
}
