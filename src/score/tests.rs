//! The scoring model on hand-made pairs.
#![allow(clippy::field_reassign_with_default)]

use super::*;

#[test]
fn default_config_is_valid_and_bad_values_are_named() {
    MatchConfig::default().validate().unwrap();
    let mut c = MatchConfig::default();
    c.weights = Weights {
        skills: 0.0,
        region: 0.0,
        network: 0.0,
        language: 0.0,
        capital: 0.0,
        interest: 0.0,
        settlement: 0.0,
    };
    assert!(c.validate().unwrap_err().to_string().contains("`weights`"));
    let mut c = MatchConfig::default();
    c.weights.network = -1.0;
    assert!(
        c.validate()
            .unwrap_err()
            .to_string()
            .contains("weights.network")
    );
    let mut c = MatchConfig::default();
    c.region.same_region = 0.9;
    assert!(c.validate().unwrap_err().to_string().contains("region"));
    let mut c = MatchConfig::default();
    c.relatedness.max_hops = 9;
    assert!(c.validate().is_err());
    let mut c = MatchConfig::default();
    c.min_score = 1.0;
    assert!(c.validate().is_err());
    let mut c = MatchConfig::default();
    c.levels.unknown = f32::INFINITY;
    assert!(c.validate().is_err());
}

#[test]
fn total_skips_components_that_do_not_apply() {
    let w = Weights {
        skills: 0.5,
        region: 0.25,
        network: 0.25,
        language: 0.0,
        ..Weights::default()
    };
    let c = Components::of([Some(1.0), None, Some(0.0), Some(1.0)], [None; 3]);
    // (0.5·1 + 0.25·0) / 0.75; language has weight zero and does not count.
    assert!((c.total(&w) - 2.0 / 3.0).abs() < 1e-6);
    assert_eq!(Components([None; 7]).total(&w), 0.0);
}

#[test]
fn config_reads_from_json_with_defaults() {
    let c: MatchConfig = serde_json::from_str(r#"{"weights":{"region":0}}"#).unwrap();
    assert_eq!(c.weights.region, 0.0);
    assert_eq!(c.weights.skills, Weights::default().skills);
    assert!(serde_json::from_str::<MatchConfig>(r#"{"weight":{}}"#).is_err());
}
