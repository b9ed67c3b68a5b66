//! Unit tests of the compiled lexicon on small dictionaries written here, one rule kind
//! each. Every verdict is also asked of spellbook, which must agree.

use super::*;

/// A lexicon (and spellbook's dictionary) of `aff` and `dic` text.
fn dict(aff: &str, dic: &str) -> (Lexicon, spellbook::Dictionary, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("t.dic");
    std::fs::write(&p, dic).expect("dic");
    std::fs::write(p.with_extension("aff"), aff).expect("aff");
    let lex = Lexicon::build(&p).expect("lexicon");
    let book = spellbook::Dictionary::new(aff, dic).expect("spellbook");
    (lex, book, dir)
}

/// Asserts the verdicts on `good` (accepted) and `bad` (rejected), and spellbook's.
fn verdicts(aff: &str, dic: &str, good: &[&str], bad: &[&str]) {
    let (lex, book, _dir) = dict(aff, dic);
    for w in good {
        assert!(lex.check(w), "{w} should be accepted");
        assert!(book.check(w), "spellbook rejects {w}");
    }
    for w in bad {
        assert!(!lex.check(w), "{w} should be rejected");
        assert!(!book.check(w), "spellbook accepts {w}");
    }
}

#[test]
fn strip_and_condition() {
    let aff = "SET UTF-8\nSFX S Y 3\nSFX S y ies [^aeiou]y\nSFX S 0 s [aeiou]y\nSFX S 0 s [^y]\n";
    verdicts(
        aff,
        "3\ncity/S\nday/S\ncat/S\n",
        &["city", "cities", "days", "cats", "cat"],
        &["citys", "daies", "caties", "cit"],
    );
}

#[test]
fn cross_product() {
    let aff = "PFX U Y 1\nPFX U 0 un .\nPFX N N 1\nPFX N 0 non .\nSFX D Y 1\nSFX D 0 ed .\n";
    verdicts(
        aff,
        "2\nlock/UD\nstop/ND\n",
        &["unlock", "locked", "unlocked", "nonstop", "stoped"],
        &["nonstoped", "unstop", "lockeded"],
    );
}

#[test]
fn continuation_class() {
    // `-able` carries on to `-ness`; a stem with `A` gets both.
    let aff = "SFX A Y 1\nSFX A 0 able/B .\nSFX B Y 1\nSFX B 0 ness .\n";
    verdicts(
        aff,
        "1\nread/A\n",
        &["read", "readable", "readableness"],
        &["readness", "readablenessness"],
    );
}

#[test]
fn needaffix_and_circumfix() {
    let aff = "NEEDAFFIX X\nCIRCUMFIX C\nSFX S Y 1\nSFX S 0 s .\nPFX G Y 1\nPFX G 0 ge/C .\nSFX T Y 1\nSFX T 0 t/C .\n";
    verdicts(
        aff,
        "2\nfoo/XS\nmach/GT\n",
        &["foos", "gemacht", "mach"],
        &["foo", "gemach", "macht"],
    );
}

#[test]
fn forbidden_and_keepcase() {
    let aff = "FORBIDDENWORD !\nKEEPCASE K\nSFX S Y 1\nSFX S 0 s .\n";
    verdicts(
        aff,
        "4\nword/S\nwords/!\nmacOS/K\nUSA/K\n",
        &["word", "Word", "WORD", "macOS", "USA"],
        &["words", "Words", "MacOS", "MACOS", "usa", "Usa"],
    );
}

#[test]
fn case_rules() {
    verdicts(
        "SET UTF-8\n",
        "4\nparis\nBerlin\nNASA/X\niPhone\n",
        &[
            "paris", "Paris", "PARIS", "Berlin", "BERLIN", "NASA", "iPhone", "IPHONE",
        ],
        &["berlin", "bERLIN", "nasa", "Iphone"],
    );
}

#[test]
fn compound_flags_and_onlyincompound() {
    let aff = "COMPOUNDBEGIN B\nCOMPOUNDMIDDLE M\nCOMPOUNDEND E\nONLYINCOMPOUND O\nCOMPOUNDMIN 3\nCOMPOUNDPERMITFLAG P\nSFX S Y 1\nSFX S 0 s/P .\nSFX N Y 1\nSFX N 0 en .\n";
    let dic = "5\nhaus/BE\ntür/BMESN\nschloss/BE\nfugen/O\nbau/E\n";
    verdicts(
        aff,
        dic,
        &[
            "haustür",
            "türschloss",
            "haustürschloss",
            "haustüren",
            "türsschloss",
            "hausbau",
            // (The default BREAK patterns take a trailing hyphen off.)
            "haus-",
        ],
        &["fugen", "bauhaus", "türenschloss", "haustürn"],
    );
}

#[test]
fn compound_min_and_generic_flag() {
    let aff = "COMPOUNDFLAG Y\nCOMPOUNDMIN 3\n";
    verdicts(
        aff,
        "3\nfoot/Y\nball/Y\nab/Y\n",
        &["football", "footballfoot", "ballfoot"],
        &["abfoot", "footab", "footbal"],
    );
}

#[test]
fn compound_rules() {
    // English ordinals: any digits, then 1st/2nd/…
    let aff =
        "COMPOUNDMIN 1\nONLYINCOMPOUND c\nCOMPOUNDRULE 2\nCOMPOUNDRULE n*1t\nCOMPOUNDRULE n*mp\n";
    let dic = "6\n0/nm\n1/n1\n2/nm\n1st/p\n1th/tc\n2nd/p\n";
    verdicts(
        aff,
        dic,
        &["1st", "21st", "2nd", "22nd", "11th", "0", "12"],
        &["1th", "21th", "2st", "11st"],
    );
}

#[test]
fn sharps_and_break() {
    let aff = "SET UTF-8\nCHECKSHARPS\nKEEPCASE k\nBREAK 1\nBREAK -\n";
    let dic = "3\nStraße\nmaß/k\nauto\n";
    verdicts(
        aff,
        dic,
        &[
            "Straße",
            "STRASSE",
            "maß",
            "Maß",
            "MASS",
            "auto-auto",
            "Straße-auto",
        ],
        &["Strasse", "strasse", "auto-", "-auto", "auto--x"],
    );
}

#[test]
fn long_and_numeric_flags() {
    let aff = "FLAG long\nSFX Aa Y 1\nSFX Aa 0 s .\nFORBIDDENWORD Zz\n";
    verdicts(
        aff,
        "2\ncat/Aa\nbad/AaZz\n",
        &["cat", "cats"],
        &["bad", "bads"],
    );
    let aff = "FLAG num\nSFX 101 Y 1\nSFX 101 0 s .\nAF 1\nAF 101\n";
    verdicts(aff, "1\ndog/101\n", &["dog", "dogs"], &["dogss"]);
}

#[test]
fn numbers_and_abbreviations() {
    verdicts(
        "",
        "2\netc.\nfoo\n",
        &["1,000.5", "-12", "etc.", "foo.", "foo"],
        &["1..2", "etc", "bar."],
    );
}

#[test]
fn unsupported_directive_is_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("t.dic");
    std::fs::write(&p, "1\nfoo\n").expect("dic");
    std::fs::write(p.with_extension("aff"), "COMPLEXPREFIXES\n").expect("aff");
    assert!(matches!(
        Lexicon::build(&p),
        Err(LexiconError::Unsupported { directive, .. }) if directive == "COMPLEXPREFIXES"
    ));
}

#[test]
fn bad_dic_names_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("t.dic");
    std::fs::write(&p, "2\nfoo/A\nbar/Abc\n").expect("dic");
    std::fs::write(p.with_extension("aff"), "FLAG long\n").expect("aff");
    let e = Lexicon::build(&p).expect_err("odd long flags");
    let msg = e.to_string();
    assert!(msg.contains("t.dic:2:"), "{msg}");
}

// The cache: a hit after a miss, and every broken state rebuilt without failing.

fn cache_fixture() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let dic = dir.path().join("t.dic");
    std::fs::write(&dic, "2\ncat/S\ndog/S\n").expect("dic");
    std::fs::write(dic.with_extension("aff"), "SFX S Y 1\nSFX S 0 s .\n").expect("aff");
    let cache = dir.path().join("cache");
    (dir, dic, cache)
}

fn cache_file(cache: &Path) -> PathBuf {
    let mut files: Vec<PathBuf> = std::fs::read_dir(cache)
        .expect("cache dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files.remove(0)
}

#[test]
fn cache_is_written_then_read() {
    let (_d, dic, cache) = cache_fixture();
    let (lex, s) = Lexicon::load_in(&dic, Some(&cache)).expect("load");
    assert_eq!(s, CacheStatus::Missing);
    assert!(lex.check("cats") && !lex.check("catss"));
    let (lex, s) = Lexicon::load_in(&dic, Some(&cache)).expect("load");
    assert_eq!(s, CacheStatus::Hit);
    assert!(lex.check("dogs") && lex.check("Dog") && !lex.check("dogz"));
    assert!(cache_file(&cache)
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("hunspell-t-") && n.ends_with(".lex")));
}

#[test]
fn truncated_or_corrupt_cache_is_rebuilt() {
    let (_d, dic, cache) = cache_fixture();
    Lexicon::load_in(&dic, Some(&cache)).expect("load");
    let f = cache_file(&cache);
    let whole = std::fs::read(&f).expect("read");
    // Truncated.
    std::fs::write(&f, &whole[..whole.len() - 5]).expect("write");
    let (lex, s) = Lexicon::load_in(&dic, Some(&cache)).expect("load");
    assert_eq!(s, CacheStatus::Invalid);
    assert!(lex.check("cats"));
    // Rewritten whole by that load.
    assert_eq!(std::fs::read(&f).expect("read"), whole);
    // One byte of the body flipped.
    let mut bad = whole.clone();
    let last = bad.len() - 1;
    bad[last] ^= 0x20;
    std::fs::write(&f, &bad).expect("write");
    let (lex, s) = Lexicon::load_in(&dic, Some(&cache)).expect("load");
    assert_eq!(s, CacheStatus::Invalid);
    assert!(lex.check("dogs") && !lex.check("dogz"));
    // Garbage, and an empty file.
    for junk in [&b"not a lexicon at all, just text"[..], &b""[..]] {
        std::fs::write(&f, junk).expect("write");
        let (lex, s) = Lexicon::load_in(&dic, Some(&cache)).expect("load");
        assert_eq!(s, CacheStatus::Invalid);
        assert!(lex.check("cat"));
    }
    let (_, s) = Lexicon::load_in(&dic, Some(&cache)).expect("load");
    assert_eq!(s, CacheStatus::Hit);
}

#[test]
fn stale_cache_is_not_used_and_is_removed() {
    let (_d, dic, cache) = cache_fixture();
    Lexicon::load_in(&dic, Some(&cache)).expect("load");
    let old = cache_file(&cache);
    let old_bytes = std::fs::read(&old).expect("read");
    // A file of the naming before the place was in it, left by an older version.
    let legacy = cache.join("hunspell-t-0123456789abcdef.lex");
    std::fs::write(&legacy, &old_bytes).expect("write");
    // The dictionary changes (another size): a new key, a new file, and the old one gone.
    std::fs::write(&dic, "3\ncat/S\ndog/S\nbird/S\n").expect("dic");
    let (lex, s) = Lexicon::load_in(&dic, Some(&cache)).expect("load");
    assert_eq!(s, CacheStatus::Missing);
    assert!(lex.check("birds"));
    let new = cache_file(&cache);
    assert_ne!(new, old);
    assert!(!old.exists() && !legacy.exists());
    // An old file put under the new name (another key inside) is not trusted either.
    std::fs::write(&new, &old_bytes).expect("write");
    let (lex, s) = Lexicon::load_in(&dic, Some(&cache)).expect("load");
    assert_eq!(s, CacheStatus::Invalid);
    assert!(lex.check("birds"));
}

#[test]
fn a_copy_of_the_dictionary_elsewhere_keeps_its_own_cache_file() {
    let (d, dic, cache) = cache_fixture();
    let other = d.path().join("elsewhere");
    std::fs::create_dir(&other).expect("dir");
    let copy = other.join("t.dic");
    std::fs::copy(&dic, &copy).expect("copy");
    std::fs::copy(dic.with_extension("aff"), copy.with_extension("aff")).expect("copy");
    Lexicon::load_in(&dic, Some(&cache)).expect("load");
    let (_, s) = Lexicon::load_in(&copy, Some(&cache)).expect("load");
    assert_eq!(s, CacheStatus::Missing);
    // Both stay: neither is an older version of the other.
    let (_, s) = Lexicon::load_in(&dic, Some(&cache)).expect("load");
    assert_eq!(s, CacheStatus::Hit);
    let (_, s) = Lexicon::load_in(&copy, Some(&cache)).expect("load");
    assert_eq!(s, CacheStatus::Hit);
    assert_eq!(std::fs::read_dir(&cache).expect("dir").count(), 2);
}

#[test]
fn unwritable_cache_dir_still_checks() {
    let (d, dic, _) = cache_fixture();
    // A file where the cache directory should be: nothing can be created under it.
    let blocker = d.path().join("blocker");
    std::fs::write(&blocker, "x").expect("write");
    let (lex, s) = Lexicon::load_in(&dic, Some(&blocker.join("cache"))).expect("load");
    assert_eq!(s, CacheStatus::Unwritable);
    assert!(lex.check("cats") && !lex.check("catz"));
}

#[test]
fn too_large_dictionary_is_remembered() {
    let (_d, dic, cache) = cache_fixture();
    // cat, cats, dog, dogs: four forms, over a limit of three.
    for _ in 0..2 {
        assert!(matches!(
            Lexicon::load_limited(&dic, Some(&cache), 3),
            Err(LexiconError::TooLarge { limit: 3, .. })
        ));
    }
    // The second answer came from the marker file, which holds no table.
    let f = cache_file(&cache);
    assert_eq!(
        std::fs::metadata(&f).expect("marker").len() as usize,
        cache::HEADER
    );
}

#[test]
fn damaged_body_behind_a_valid_header_gives_answers_not_panics() {
    // A file whose header and checksum are right but whose body is noise (damage the
    // sampled checksum cannot see): entries point outside the strings, slots at entries
    // that do not exist. The table is used in place, so every probe must stay in bounds.
    let (_d, dic, cache) = cache_fixture();
    Lexicon::load_in(&dic, Some(&cache)).expect("load");
    let f = cache_file(&cache);
    let key = cache::Key::of(&dic.with_extension("aff"), &dic).expect("key");
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    for (entries, slots, len) in [
        (4u64, 8u64, 200usize),
        (2, 8, 64 + 24),
        (0, 1, 8),
        (8, 16, 4096),
    ] {
        let body: Vec<u8> = (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        cache::write(&cache, &f, cache::LEXICON, &key, [entries, slots], &body).expect("write");
        let (lex, s) = Lexicon::load_in(&dic, Some(&cache)).expect("load");
        assert_eq!(s, CacheStatus::Hit, "{entries} {slots} {len}");
        for w in ["cat", "cats", "Dog", "DOGS", "catdog", "", "x"] {
            let _ = lex.check(w);
        }
    }
    // Sizes that do not fit the body are refused and the table rebuilt.
    cache::write(&cache, &f, cache::LEXICON, &key, [1000, 2048], &[0; 64]).expect("write");
    let (lex, s) = Lexicon::load_in(&dic, Some(&cache)).expect("load");
    assert_eq!(s, CacheStatus::Invalid);
    assert!(lex.check("cats") && !lex.check("catz"));
}

#[test]
fn a_sampled_checksum_still_sees_a_changed_header_or_a_sampled_byte() {
    // A large body: the checksum covers samples of it, among them its first and last bytes.
    let (_d, dic, cache) = cache_fixture();
    Lexicon::load_in(&dic, Some(&cache)).expect("load");
    let f = cache_file(&cache);
    let key = cache::Key::of(&dic.with_extension("aff"), &dic).expect("key");
    let body = vec![0u8; 1 << 20];
    cache::write(&cache, &f, cache::LEXICON, &key, [0, 1], &body).expect("write");
    let whole = std::fs::read(&f).expect("read");
    for at in [20, cache::HEADER, whole.len() - 1] {
        let mut bad = whole.clone();
        bad[at] ^= 1;
        std::fs::write(&f, &bad).expect("write");
        let (lex, s) = Lexicon::load_in(&dic, Some(&cache)).expect("load");
        assert_eq!(s, CacheStatus::Invalid, "byte {at}");
        assert!(lex.check("cats"));
    }
}

#[test]
fn a_dictionary_far_over_the_limit_is_refused_from_its_estimate() {
    // 30,000 stems of which every third takes two suffixes: 50,000 forms. (A period that
    // shares a factor with the sampling stride would fool the estimate.)
    let dir = tempfile::tempdir().expect("tempdir");
    let dic = dir.path().join("big.dic");
    let letters = |mut i: usize| {
        let mut w = String::from("q");
        for _ in 0..4 {
            w.push(char::from(b'a' + (i % 26) as u8));
            i /= 26;
        }
        w
    };
    let mut text = String::from("30000\n");
    for i in 0..30_000 {
        text.push_str(&letters(i));
        text.push_str(if i % 3 == 0 { "/AB\n" } else { "\n" });
    }
    std::fs::write(&dic, text).expect("dic");
    std::fs::write(
        dic.with_extension("aff"),
        "SFX A Y 1\nSFX A 0 s .\nSFX B Y 1\nSFX B 0 ed .\n",
    )
    .expect("aff");
    let aff_text = aff::read_text(&dic.with_extension("aff")).expect("aff");
    let a = Aff::parse(&aff_text, &dic.with_extension("aff"), true).expect("parse");
    let stems = aff::parse_dic(&a, &aff::read_text(&dic).expect("dic"), &dic).expect("stems");
    let estimate = build::estimate(&a, &stems);
    assert!((47_000..=53_000).contains(&estimate), "{estimate}");
    // Refused from the estimate (well over the limit), or by the expansion (just over).
    for limit in [40_000, 49_999] {
        assert!(matches!(
            Lexicon::build_limited(&dic, limit),
            Err(LexiconError::TooLarge { .. })
        ));
    }
    let lex = Lexicon::build_limited(&dic, 50_000).expect("fits");
    assert_eq!(lex.forms(), 50_000);
    assert!(lex.check("qbaaa") && lex.check("qaaaaed") && !lex.check("qbaaaed"));
}
