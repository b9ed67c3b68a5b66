//! Language codes: ISO 639-1 as the public face, with the mappings the stages need
//! (`whatlang` for detection, ISO 639-3 for Apertium pair names).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A language, named by its two-letter ISO 639-1 code.
///
/// Only languages that tarjuman knows a name and a three-letter code for can be built,
/// so a `Lang` is always a valid code.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Lang(&'static LangInfo);

/// Static facts about one language.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct LangInfo {
    /// ISO 639-1 code, e.g. `de`.
    pub iso1: &'static str,
    /// ISO 639-3 code, e.g. `deu` (Apertium names pairs with these).
    pub iso3: &'static str,
    /// English name.
    pub name: &'static str,
    /// The matching `whatlang` language, when whatlang can detect it.
    pub whatlang: Option<whatlang::Lang>,
}

macro_rules! langs {
    ($( $iso1:literal, $iso3:literal, $name:literal, $wl:expr; )*) => {
        /// Every language tarjuman knows, sorted by ISO 639-1 code.
        pub static LANGUAGES: &[LangInfo] = &[
            $( LangInfo { iso1: $iso1, iso3: $iso3, name: $name, whatlang: $wl }, )*
        ];
    };
}

use whatlang::Lang as W;
langs! {
    "af", "afr", "Afrikaans", Some(W::Afr);
    "ak", "aka", "Akan", Some(W::Aka);
    "am", "amh", "Amharic", Some(W::Amh);
    "ar", "ara", "Arabic", Some(W::Ara);
    "az", "aze", "Azerbaijani", Some(W::Aze);
    "be", "bel", "Belarusian", Some(W::Bel);
    "bg", "bul", "Bulgarian", Some(W::Bul);
    "bn", "ben", "Bengali", Some(W::Ben);
    "bs", "bos", "Bosnian", None;
    "ca", "cat", "Catalan", Some(W::Cat);
    "cs", "ces", "Czech", Some(W::Ces);
    "cy", "cym", "Welsh", Some(W::Cym);
    "da", "dan", "Danish", Some(W::Dan);
    "de", "deu", "German", Some(W::Deu);
    "el", "ell", "Greek", Some(W::Ell);
    "en", "eng", "English", Some(W::Eng);
    "eo", "epo", "Esperanto", Some(W::Epo);
    "es", "spa", "Spanish", Some(W::Spa);
    "et", "est", "Estonian", Some(W::Est);
    "eu", "eus", "Basque", None;
    "fa", "fas", "Persian", Some(W::Pes);
    "fi", "fin", "Finnish", Some(W::Fin);
    "fr", "fra", "French", Some(W::Fra);
    "ga", "gle", "Irish", None;
    "gl", "glg", "Galician", None;
    "gu", "guj", "Gujarati", Some(W::Guj);
    "he", "heb", "Hebrew", Some(W::Heb);
    "hi", "hin", "Hindi", Some(W::Hin);
    "hr", "hrv", "Croatian", Some(W::Hrv);
    "hu", "hun", "Hungarian", Some(W::Hun);
    "hy", "hye", "Armenian", Some(W::Hye);
    "id", "ind", "Indonesian", Some(W::Ind);
    "is", "isl", "Icelandic", None;
    "it", "ita", "Italian", Some(W::Ita);
    "ja", "jpn", "Japanese", Some(W::Jpn);
    "jv", "jav", "Javanese", Some(W::Jav);
    "ka", "kat", "Georgian", Some(W::Kat);
    "kk", "kaz", "Kazakh", None;
    "km", "khm", "Khmer", Some(W::Khm);
    "kn", "kan", "Kannada", Some(W::Kan);
    "ko", "kor", "Korean", Some(W::Kor);
    "ky", "kir", "Kyrgyz", None;
    "la", "lat", "Latin", Some(W::Lat);
    "lb", "ltz", "Luxembourgish", None;
    "lt", "lit", "Lithuanian", Some(W::Lit);
    "lv", "lav", "Latvian", Some(W::Lav);
    "mk", "mkd", "Macedonian", Some(W::Mkd);
    "ml", "mal", "Malayalam", Some(W::Mal);
    "mn", "mon", "Mongolian", None;
    "mr", "mar", "Marathi", Some(W::Mar);
    "ms", "msa", "Malay", None;
    "my", "mya", "Burmese", Some(W::Mya);
    "nb", "nob", "Norwegian Bokmål", Some(W::Nob);
    "ne", "nep", "Nepali", Some(W::Nep);
    "nl", "nld", "Dutch", Some(W::Nld);
    "nn", "nno", "Norwegian Nynorsk", None;
    "or", "ori", "Oriya", Some(W::Ori);
    "pa", "pan", "Punjabi", Some(W::Pan);
    "pl", "pol", "Polish", Some(W::Pol);
    "ps", "pus", "Pashto", None;
    "pt", "por", "Portuguese", Some(W::Por);
    "ro", "ron", "Romanian", Some(W::Ron);
    "ru", "rus", "Russian", Some(W::Rus);
    "si", "sin", "Sinhala", Some(W::Sin);
    "sk", "slk", "Slovak", Some(W::Slk);
    "sl", "slv", "Slovene", Some(W::Slv);
    "sn", "sna", "Shona", Some(W::Sna);
    "so", "som", "Somali", None;
    "sq", "sqi", "Albanian", None;
    "sr", "srp", "Serbian", Some(W::Srp);
    "st", "sot", "Sotho", None;
    "sv", "swe", "Swedish", Some(W::Swe);
    "sw", "swa", "Swahili", None;
    "ta", "tam", "Tamil", Some(W::Tam);
    "te", "tel", "Telugu", Some(W::Tel);
    "tg", "tgk", "Tajik", None;
    "th", "tha", "Thai", Some(W::Tha);
    "tk", "tuk", "Turkmen", Some(W::Tuk);
    "tl", "tgl", "Tagalog", Some(W::Tgl);
    "tr", "tur", "Turkish", Some(W::Tur);
    "uk", "ukr", "Ukrainian", Some(W::Ukr);
    "ur", "urd", "Urdu", Some(W::Urd);
    "uz", "uzb", "Uzbek", Some(W::Uzb);
    "vi", "vie", "Vietnamese", Some(W::Vie);
    "xh", "xho", "Xhosa", None;
    "yi", "yid", "Yiddish", Some(W::Yid);
    "yo", "yor", "Yoruba", None;
    "zh", "zho", "Chinese", Some(W::Cmn);
    "zu", "zul", "Zulu", Some(W::Zul);
}

/// A code that names no language tarjuman knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language code `{0}` (expected an ISO 639-1 code such as `de` or `en`)")]
pub struct UnknownLang(pub String);

impl Lang {
    /// Looks a language up by ISO 639-1 or ISO 639-3 code, case-insensitively.
    pub fn from_code(code: &str) -> Result<Lang, UnknownLang> {
        let c = code.trim().to_ascii_lowercase();
        // Accept regional tags such as `en-US` or `pt_BR` by their language part.
        let base = c.split(['-', '_']).next().unwrap_or("");
        let alias = match base {
            "no" => "nb",
            "per" => "fas",
            "ger" => "deu",
            "fre" => "fra",
            "chi" => "zho",
            "cze" => "ces",
            "dut" => "nld",
            "gre" => "ell",
            "arm" => "hye",
            "geo" => "kat",
            "slo" => "slk",
            "rum" => "ron",
            "alb" => "sqi",
            "mac" => "mkd",
            "bur" => "mya",
            "baq" => "eus",
            "ice" => "isl",
            "wel" => "cym",
            "may" => "msa",
            "pes" => "fas",
            "cmn" => "zho",
            other => other,
        };
        LANGUAGES
            .iter()
            .find(|l| l.iso1 == alias || l.iso3 == alias)
            .map(Lang)
            .ok_or_else(|| UnknownLang(code.to_string()))
    }

    /// The language matching a `whatlang` result, if tarjuman knows it.
    pub fn from_whatlang(w: whatlang::Lang) -> Option<Lang> {
        LANGUAGES.iter().find(|l| l.whatlang == Some(w)).map(Lang)
    }

    /// ISO 639-1 code.
    pub fn code(self) -> &'static str {
        self.0.iso1
    }

    /// ISO 639-3 code.
    pub fn iso3(self) -> &'static str {
        self.0.iso3
    }

    /// English name of the language.
    pub fn name(self) -> &'static str {
        self.0.name
    }

    /// The `whatlang` language, if whatlang can detect this one.
    pub fn whatlang(self) -> Option<whatlang::Lang> {
        self.0.whatlang
    }
}

/// Parses a comma-separated list of codes such as `de,en,ru`.
pub fn parse_list(list: &str) -> Result<Vec<Lang>, UnknownLang> {
    let mut out = Vec::new();
    for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let l = Lang::from_code(part)?;
        if !out.contains(&l) {
            out.push(l);
        }
    }
    Ok(out)
}

impl PartialOrd for Lang {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Lang {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.code().cmp(other.code())
    }
}

impl fmt::Debug for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Lang({})", self.code())
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = UnknownLang;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::from_code(s)
    }
}

impl Serialize for Lang {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Lang {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Lang::from_code(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        let de = Lang::from_code("de").unwrap();
        assert_eq!(de.iso3(), "deu");
        assert_eq!(Lang::from_code("DEU").unwrap(), de);
        assert_eq!(Lang::from_code("de-AT").unwrap(), de);
        assert_eq!(
            Lang::from_whatlang(whatlang::Lang::Pes).unwrap().code(),
            "fa"
        );
        assert!(Lang::from_code("xx").is_err());
        assert!(Lang::from_code("").is_err());
    }

    #[test]
    fn every_entry_is_unique() {
        for (i, a) in LANGUAGES.iter().enumerate() {
            for b in &LANGUAGES[i + 1..] {
                assert_ne!(a.iso1, b.iso1);
                assert_ne!(a.iso3, b.iso3);
                assert!(a.whatlang.is_none() || a.whatlang != b.whatlang);
            }
        }
    }
}
