//! Model format and inference unit tests.

use super::internals::{HeadSpec, ModelBuilder};
use super::*;

fn tiny(bits: u8) -> Vec<u8> {
    let config = FeatureConfig {
        bits,
        ..FeatureConfig::default()
    };
    let n = config.buckets();
    let labels: Vec<String> = ["fraud_security", "other"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    // Bucket weights that depend on the bucket, so quantization is exercised.
    let weights: Vec<f32> = (0..n * 2)
        .map(|i| ((i * 7919) % 255) as f32 / 100.0 - 1.27)
        .collect();
    let emo: Vec<f32> = (0..n * 7)
        .map(|i| ((i * 31) % 13) as f32 / 10.0 - 0.6)
        .collect();
    let sent: Vec<f32> = (0..n)
        .map(|i| ((i * 17) % 11) as f32 / 10.0 - 0.5)
        .collect();
    ModelBuilder::new(config)
        .head(HeadSpec {
            name: "category".into(),
            kind: HeadKind::Softmax,
            labels,
            groups: vec![],
            group_of: vec![],
            temperature: 1.5,
            bias: vec![0.1, -0.1],
            weights,
            dense: vec![0.1; DENSE * 2],
        })
        .head(HeadSpec {
            name: "emotion".into(),
            kind: HeadKind::Softmax,
            groups: vec![],
            group_of: vec![],
            labels: crate::Emotion::ALL
                .iter()
                .map(|e| e.as_str().to_string())
                .collect(),
            temperature: 1.0,
            bias: vec![0.0; 7],
            weights: emo,
            dense: vec![0.0; DENSE * 7],
        })
        .head(HeadSpec {
            name: "sentiment".into(),
            kind: HeadKind::Regression,
            labels: vec![],
            groups: vec![],
            group_of: vec![],
            temperature: 1.0,
            bias: vec![0.0],
            weights: sent,
            dense: (0..DENSE).map(|i| 0.5 - 0.1 * i as f32).collect(),
        })
        .to_bytes()
        .unwrap()
}

fn invalid(bytes: &[u8]) -> String {
    match ModelSet::from_bytes(bytes) {
        Err(Error::InvalidModel(m)) => m,
        Err(e) => panic!("wrong error kind: {e}"),
        Ok(_) => panic!("accepted a broken model"),
    }
}

#[test]
fn round_trip() {
    let bytes = tiny(10);
    let m = ModelSet::from_bytes(&bytes).unwrap();
    assert_eq!(m.category_labels(), ["fraud_security", "other"]);
    assert_eq!(
        m.head_names().collect::<Vec<_>>(),
        ["category", "emotion", "sentiment"]
    );
    let out = m.predict("Someone stole my card, block it!");
    let c = out.category.unwrap();
    assert_eq!(c.probs.len(), 2);
    assert!((c.probs.iter().sum::<f32>() - 1.0).abs() < 1e-4);
    let e = out.emotion.unwrap();
    assert_eq!(e.probs.len(), 7);
    let s = out.sentiment.unwrap();
    assert!((-1.0..=1.0).contains(&s));
    // Spans point into the text, strongest first.
    let text = "Someone stole my card, block it!";
    for w in c.top.windows(2) {
        assert!(w[0].2 >= w[1].2);
    }
    for (s, e, _) in &c.top {
        assert!(
            s < e && *e <= text.len() && text.is_char_boundary(*s) && text.is_char_boundary(*e)
        );
    }
    // Same bytes in, same bytes out.
    assert_eq!(bytes, tiny(10));
}

#[test]
fn deterministic_and_total() {
    let m = ModelSet::from_bytes(&tiny(10)).unwrap();
    for t in [
        "",
        " ",
        "!!!",
        "ÉTÉ 😡 don't’ it's",
        "a",
        "\0\0",
        &"x".repeat(10_000),
        &"ab ".repeat(5000),
    ] {
        assert_eq!(m.predict(t), m.predict(t));
    }
}

#[test]
fn corrupt_bytes_rejected() {
    let bytes = tiny(10);
    for pos in [8, 12, 20, bytes.len() / 2, bytes.len() - 9, bytes.len() - 1] {
        let mut b = bytes.clone();
        b[pos] ^= 0x5a;
        invalid(&b);
    }
}

#[test]
fn truncated_rejected() {
    let bytes = tiny(10);
    for len in [0, 4, 8, 12, 19, 100, bytes.len() / 2, bytes.len() - 1] {
        invalid(&bytes[..len]);
    }
    let mut longer = bytes.clone();
    longer.push(0);
    invalid(&longer);
}

#[test]
fn wrong_magic_rejected() {
    let mut b = tiny(10);
    b[0] = b'X';
    assert!(invalid(&b).contains("magic"));
}

#[test]
fn wrong_version_rejected() {
    let mut b = tiny(10);
    b[8..12].copy_from_slice(&(format::VERSION + 1).to_le_bytes());
    // Re-seal the checksum so only the version is wrong.
    let n = b.len() - 8;
    let sum = format::checksum(&b[..n]);
    b[n..].copy_from_slice(&sum.to_le_bytes());
    assert!(invalid(&b).contains("version"));
}

#[test]
fn resealed_garbage_rejected() {
    // Structural validation must hold even when the checksum is right.
    let bytes = tiny(10);
    for pos in [13, 16, 18, 21, 30] {
        for v in [0u8, 0xff, 0x7f] {
            let mut b = bytes.clone();
            b[pos] = v;
            let n = b.len() - 8;
            let sum = format::checksum(&b[..n]);
            b[n..].copy_from_slice(&sum.to_le_bytes());
            let _ = ModelSet::from_bytes(&b); // must not panic
        }
    }
}

#[test]
fn builder_rejects_mismatched_weights() {
    let config = FeatureConfig {
        bits: 10,
        ..FeatureConfig::default()
    };
    let r = ModelBuilder::new(config)
        .head(HeadSpec {
            name: "category".into(),
            kind: HeadKind::Softmax,
            labels: vec!["a".into(), "b".into()],
            groups: vec![],
            group_of: vec![],
            temperature: 1.0,
            bias: vec![0.0, 0.0],
            weights: vec![0.0; 3],
            dense: vec![],
        })
        .to_bytes();
    assert!(matches!(r, Err(Error::InvalidModel(_))));
}

#[test]
fn featurizer_spans_and_counts() {
    let c = FeatureConfig::default();
    let text = "Don't CHARGE me twice!! ÉTÉ";
    let mut spans = Vec::new();
    let n = c.for_each_feature(text, |_, s, e| spans.push(&text[s..e]));
    assert_eq!(n, spans.len());
    assert!(spans.contains(&"Don't"));
    assert!(spans.contains(&"!!"));
    assert!(spans.contains(&"ÉTÉ"));
    assert!(spans.contains(&"CHARGE me"));
    // Case folding: the same buckets for upper and lower case.
    let mut a = Vec::new();
    let mut b = Vec::new();
    c.for_each_feature("Refund NOW", |x, _, _| a.push(x));
    c.for_each_feature("refund now", |x, _, _| b.push(x));
    assert_eq!(a, b);
}

fn buckets(c: &FeatureConfig, text: &str) -> Vec<u32> {
    let mut v = Vec::new();
    c.for_each_feature(text, |b, _, _| v.push(b));
    v
}

#[test]
fn social_tokens_fold_handles_links_and_entities() {
    let on = FeatureConfig {
        char_min: 0,
        ..FeatureConfig::default()
    };
    // Any handle, any link: the same features.
    assert_eq!(
        buckets(
            &on,
            "@AcmeAir_help my bag is lost https://t.co/AbC12xYz9 &amp; no reply"
        ),
        buckets(
            &on,
            "@115911 my bag is lost http://example.com/x?y=1 no reply"
        ),
    );
    let mut spans = Vec::new();
    let text = "hi @Acme_1 see www.x.com/a";
    on.for_each_feature(text, |_, s, e| spans.push(&text[s..e]));
    assert_eq!(
        spans,
        [
            "hi",
            "@Acme_1",
            "hi @Acme_1",
            "see",
            "@Acme_1 see",
            "www.x.com/a",
            "see www.x.com/a"
        ]
    );
    // A lone `@` or `&` and a word that merely starts like a link are not folded.
    let off = FeatureConfig {
        social_tokens: false,
        ..on
    };
    assert_eq!(
        buckets(&on, "meet @ 5 & whatever"),
        buckets(&off, "meet @ 5 & whatever")
    );
    assert_ne!(buckets(&on, "@acme"), buckets(&off, "@acme"));
}

#[test]
fn stemming_folds_inflections_only() {
    let on = FeatureConfig {
        char_min: 0,
        bigrams: false,
        stem: true,
        ..FeatureConfig::default()
    };
    let one = |w: &str| buckets(&on, w)[0];
    assert_eq!(one("charged"), one("charges"));
    assert_eq!(one("charging"), one("charge"));
    assert_eq!(one("replies"), one("replied"));
    assert_eq!(one("cancelled"), one("cancelling"));
    assert_eq!(one("Bank's"), one("bank"));
    // Short words, -ss/-us/-is endings and non-ASCII words are kept as they are.
    assert_ne!(one("bus"), one("bu"));
    assert_ne!(one("class"), one("clas"));
    assert_ne!(one("this"), one("thi"));
    assert_ne!(one("bed"), one("b"));
    assert_ne!(one("señores"), one("señor"));
    let off = FeatureConfig { stem: false, ..on };
    assert_ne!(buckets(&off, "charged"), buckets(&off, "charges"));
}

#[test]
fn text_options_round_trip_and_unknown_bits_rejected() {
    for (social_tokens, stem) in [(false, false), (true, false), (false, true), (true, true)] {
        let config = FeatureConfig {
            bits: 10,
            social_tokens,
            stem,
            ..FeatureConfig::default()
        };
        let bytes = ModelBuilder::new(config)
            .head(HeadSpec {
                name: "category".into(),
                kind: HeadKind::Softmax,
                labels: vec!["fraud_security".into(), "other".into()],
                groups: vec![],
                group_of: vec![],
                temperature: 1.0,
                bias: vec![0.0, 0.0],
                weights: vec![0.0; 2 << 10],
                dense: vec![0.0; 2 * DENSE],
            })
            .to_bytes()
            .unwrap();
        let m = ModelSet::from_bytes(&bytes).unwrap();
        assert_eq!(m.feature_config(), config);
        // Byte 13 holds the options: set an unknown bit and re-seal.
        let mut b = bytes.clone();
        b[13] |= 0x10;
        let n = b.len() - 8;
        let sum = format::checksum(&b[..n]);
        b[n..].copy_from_slice(&sum.to_le_bytes());
        assert!(invalid(&b).contains("unknown bits"), "{}", invalid(&b));
    }
}

#[test]
fn embedded_model_parses_and_fits_default_playbook() {
    if let Some(m) = embedded().unwrap() {
        let pb = crate::respond::playbook::default_playbook().unwrap();
        m.check_playbook(pb).unwrap();
        assert!(m.predict("my card was stolen").category.is_some());
    }
}

#[test]
fn embedded_checksum_holds() {
    // The embedded model is loaded without the byte-by-byte checksum (cold start); the
    // file shipped in the crate must pass it.
    if EMBEDDED.is_empty() {
        return;
    }
    format::parse(EMBEDDED).expect("the embedded model passes its checksum");
    let mut corrupt = EMBEDDED.to_vec();
    let last = corrupt.len() - 9;
    corrupt[last] ^= 0x55;
    match format::parse(&corrupt) {
        Err(e) => assert!(e.to_string().contains("checksum"), "{e}"),
        Ok(_) => panic!("a corrupted byte passed the checksum"),
    }
}

/// A category head whose only weights are `row`, on the buckets of `word` (a vocabulary of
/// one row, or the same weights on every such bucket of a plain table).
fn one_word_model(word: &str, row: [f32; 2], vocabulary: bool) -> Vec<u8> {
    let config = FeatureConfig {
        bits: 10,
        ..FeatureConfig::default()
    };
    let kept = buckets(&config, word);
    let head = |weights: Vec<f32>| HeadSpec {
        name: "category".into(),
        kind: HeadKind::Softmax,
        labels: vec!["fraud_security".into(), "other".into()],
        groups: vec![],
        group_of: vec![],
        temperature: 1.0,
        bias: vec![0.0, 0.0],
        weights,
        dense: vec![0.0; 2 * DENSE],
    };
    if vocabulary {
        let mut map = vec![NO_ROW; config.buckets()];
        for &b in &kept {
            map[b as usize] = 0;
        }
        ModelBuilder::new(config)
            .vocabulary(map)
            .head(head(row.to_vec()))
            .to_bytes()
            .unwrap()
    } else {
        let mut w = vec![0.0; 2 * config.buckets()];
        for &b in &kept {
            w[2 * b as usize..2 * b as usize + 2].copy_from_slice(&row);
        }
        ModelBuilder::new(config).head(head(w)).to_bytes().unwrap()
    }
}

#[test]
fn vocabulary_reads_kept_buckets_and_ignores_the_rest() {
    let config = FeatureConfig {
        bits: 10,
        ..FeatureConfig::default()
    };
    let other = "hello there";
    assert!(buckets(&config, other)
        .iter()
        .all(|b| !buckets(&config, "stolen").contains(b)));
    let with = ModelSet::from_bytes(&one_word_model("stolen", [3.0, -3.0], true)).unwrap();
    let plain = ModelSet::from_bytes(&one_word_model("stolen", [3.0, -3.0], false)).unwrap();
    // Two outputs a row: the map (two bytes a bucket) costs what the plain table does, plus
    // the row count and the one row. (The shipped model's rows are 46 bytes wide.)
    assert_eq!(with.size_bytes(), plain.size_bytes() + 4 + 2);
    for text in ["stolen", other, "my card was stolen", ""] {
        let a = with.predict(text).category.unwrap().probs;
        let b = plain.predict(text).category.unwrap().probs;
        assert_eq!(a, b, "{text:?}");
    }
    let p = with.predict("stolen").category.unwrap().probs;
    assert!(p[0] > 0.99, "{p:?}");
    let p = with.predict(other).category.unwrap().probs;
    assert_eq!(p[0], p[1], "an unkept word moves nothing");
    // The explanation names the kept word only.
    let top = with.predict("hello stolen").category.unwrap().top;
    assert_eq!(
        top.iter().map(|t| (t.0, t.1)).collect::<Vec<_>>(),
        [(6, 12)]
    );
}

#[test]
fn vocabulary_map_is_validated() {
    let bytes = one_word_model("stolen", [1.0, -1.0], true);
    // Layout from the end: checksum 8, table 1 row × 2, table_len 8, map 2 × 1024, n_rows 4.
    let map_at = bytes.len() - 8 - 2 - 8 - 2 * 1024;
    let reseal = |mut b: Vec<u8>| {
        let n = b.len() - 8;
        let sum = format::checksum(&b[..n]);
        b[n..].copy_from_slice(&sum.to_le_bytes());
        b
    };
    let mut b = bytes.clone();
    b[map_at..map_at + 2].copy_from_slice(&1u16.to_le_bytes());
    assert!(invalid(&reseal(b)).contains("names row 1 of 1"));
    let mut b = bytes.clone();
    b[map_at - 4..map_at].copy_from_slice(&0u32.to_le_bytes());
    assert!(invalid(&reseal(b)).contains("vocabulary of 0 rows"));
    let mut b = bytes.clone();
    b[map_at - 4..map_at].copy_from_slice(&2u32.to_le_bytes());
    assert!(invalid(&reseal(b)).contains("expected 2 rows"));

    let config = FeatureConfig {
        bits: 10,
        ..FeatureConfig::default()
    };
    let head = HeadSpec {
        name: "category".into(),
        kind: HeadKind::Softmax,
        labels: vec!["a".into(), "b".into()],
        groups: vec![],
        group_of: vec![],
        temperature: 1.0,
        bias: vec![0.0, 0.0],
        weights: vec![0.0; 2],
        dense: vec![0.0; 2 * DENSE],
    };
    for map in [vec![0u16; 5], vec![NO_ROW; 1024]] {
        let r = ModelBuilder::new(config)
            .vocabulary(map)
            .head(head.clone())
            .to_bytes();
        assert!(matches!(r, Err(Error::InvalidModel(_))));
    }
}
