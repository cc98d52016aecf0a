//! The channels beyond work through the public API: capital against a ticket or a funding
//! gap, causes and sectors, countries of settlement; their records, errors and explanations.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use diaspora_match::io::{Loader, ProfileRecord, ResolutionReport};
use diaspora_match::{
    Component, Dataset, Engine, Exclusion, MatchConfig, NodeKind, OpportunityId, ProfileId,
};

/// An engine of the given profile and opportunity records (JSON), one host organisation.
fn engine(profiles: &[&str], opportunities: &[&str]) -> Engine {
    let reference = common::reference();
    let loader = Loader::new(reference.clone());
    let mut report = ResolutionReport::default();
    let mut d = Dataset::new(reference);
    for (i, text) in profiles.iter().enumerate() {
        let p = loader.profile_json(text, i, &mut report).unwrap();
        d.network.add_node(&p.key, NodeKind::Person, false).unwrap();
        d.profiles.push(p);
    }
    d.network
        .add_node("org-1", NodeKind::Organisation, true)
        .unwrap();
    for (i, text) in opportunities.iter().enumerate() {
        let o = loader
            .opportunity_json(text, i, &d.network, &mut report)
            .unwrap();
        d.opportunities.push(o);
    }
    Engine::builder(d)
        .config(MatchConfig::default())
        .build()
        .unwrap()
}

fn keys(engine: &Engine, o: u32) -> Vec<String> {
    engine
        .candidates(OpportunityId::new(o), 10)
        .unwrap()
        .iter()
        .map(|m| engine.profile_key(m.profile).unwrap().to_string())
        .collect()
}

const WATER_CHARITY: &str = r#"{"key":"o-water","title":"Boreholes for Tamale schools","host":"org-1","country":"GH","engagement":"donate","gap_usd":50000,"causes":[6],"sector":"E36"}"#;

#[test]
fn a_donor_to_clean_water_ranks_above_an_otherwise_equal_donor() {
    let donor = |key: &str, causes: &str| {
        format!(
            r#"{{"key":"{key}","origins":[{{"country":"GH"}}],"residence":"GB","engagements":["donate"],"capital":{{"donate_usd_per_year":[500,2000]}},"interests":{{"causes":{causes}}}}}"#
        )
    };
    let (water, schools) = (donor("p-a", "[4]"), donor("p-b", "[6]"));
    let e = engine(&[&water, &schools], &[WATER_CHARITY]);
    assert_eq!(keys(&e, 0), ["p-b", "p-a"]);
    let top = e.candidates(OpportunityId::new(0), 2).unwrap();
    assert!(top[0].score > top[1].score);
    // The same capital: 2,000 a year covers 4 % of the gap for both.
    for m in &top {
        assert_eq!(m.components.get(Component::Capital), Some(0.04));
    }
    assert_eq!(top[0].components.get(Component::Interest), Some(0.5));
    assert_eq!(top[1].components.get(Component::Interest), Some(0.0));
    // A donor who gives nothing has no evidence for a donation: not listed, and told why.
    let none = r#"{"key":"p-c","origins":[{"country":"GH"}],"engagements":["donate"],"interests":{"causes":[6],"sectors":["E36"]}}"#;
    let e = engine(&[none], &[WATER_CHARITY]);
    assert!(e.candidates(OpportunityId::new(0), 5).unwrap().is_empty());
    let why = e.explain(ProfileId::new(0), OpportunityId::new(0)).unwrap();
    assert_eq!(
        why.exclusions,
        [Exclusion::NoPrimaryEvidence(Component::Capital)]
    );
    let text = why.to_string();
    assert!(
        text.contains("the person gives no amount to donate: no information given"),
        "{text}"
    );
    assert!(
        text.contains(
            "sector E36 Water collection, treatment and supply: the person's E36 -> 1.00"
        ),
        "{text}"
    );
    assert!(
        text.contains("SDG 6 Clean water and sanitation (shared)"),
        "{text}"
    );
}

#[test]
fn an_investor_whose_range_covers_the_ticket_ranks_above_one_whose_range_does_not() {
    let venture = r#"{"key":"o-agri","title":"Cassava processing plant, Kumasi","host":"org-1","country":"GH","engagement":"invest","ticket_usd":[20000,200000],"sector":"C10"}"#;
    let investor = |key: &str, range: &str| {
        format!(
            r#"{{"key":"{key}","origins":[{{"country":"GH"}}],"engagements":["invest"],"capital":{{"invest_usd":{range}}},"interests":{{"sectors":["C"]}}}}"#
        )
    };
    let small = investor("p-a", "[1000,5000]");
    let covers = investor("p-b", "[10000,50000]");
    let above = investor("p-c", "[500000,900000]");
    let e = engine(&[&small, &covers, &above], &[venture]);
    // Covering: 1; a quarter of the smallest ticket: 0.25; only above the largest: 0, not
    // listed (capital is an investment's evidence).
    assert_eq!(keys(&e, 0), ["p-b", "p-a"]);
    let top = e.candidates(OpportunityId::new(0), 3).unwrap();
    assert_eq!(top[0].components.get(Component::Capital), Some(1.0));
    assert_eq!(top[1].components.get(Component::Capital), Some(0.25));
    // The section C covers its division C10: full interest.
    assert_eq!(top[0].components.get(Component::Interest), Some(1.0));
    let why = e.explain(top[0].profile, OpportunityId::new(0)).unwrap();
    let text = why.to_string();
    assert!(
        text.contains("ready to invest USD 10,000 to 50,000 against a ticket of USD 20,000 to 200,000: reaches the smallest ticket -> 1.00"),
        "{text}"
    );
    // The brute force agrees.
    assert_eq!(
        e.candidates(OpportunityId::new(0), 3).unwrap(),
        e.candidates_brute_force(OpportunityId::new(0), 3).unwrap()
    );
}

#[test]
fn tourism_is_about_interests_and_market_entry_about_residence() {
    let tour = r#"{"key":"o-tour","title":"Heritage tour of the Cape Coast castles","host":"org-1","country":"GH","engagement":"tourism","sector":"R91"}"#;
    let market = r#"{"key":"o-trade","title":"Shea butter exporter seeks agents in Germany","host":"org-1","country":"GH","engagement":"remote","requirements":[{"skill":"sales activities"}],"settlement":["DE"]}"#;
    let person = |key: &str, residence: &str, sectors: &str| {
        format!(
            r#"{{"key":"{key}","skills":[{{"skill":"sales activities"}}],"origins":[{{"country":"GH"}}],"residence":"{residence}","engagements":["tourism","remote"],"interests":{{"sectors":{sectors}}}}}"#
        )
    };
    let berlin = person("p-a", "DE", "[]");
    let vienna = person("p-b", "AT", r#"["R90"]"#);
    let boston = person("p-c", "US", r#"["R91"]"#);
    let e = engine(&[&berlin, &vienna, &boston], &[tour, market]);
    // Tourism: only those with an interest in the sector are listed, the exact one first
    // (another division of the same section: half the credit).
    assert_eq!(keys(&e, 0), ["p-c", "p-b"]);
    // Market entry: living in the market sought, then next door, then far.
    assert_eq!(keys(&e, 1), ["p-a", "p-b", "p-c"]);
    let settle = |p: u32| {
        e.explain(ProfileId::new(p), OpportunityId::new(1))
            .unwrap()
            .component(Component::Settlement)
            .unwrap()
            .value
    };
    assert_eq!(settle(0), Some(1.0));
    assert_eq!(settle(1), Some(0.4)); // the same M49 sub-region, Western Europe
    assert_eq!(settle(2), Some(0.0));
    // Opportunities for a person find a tourism offer without any skill in common.
    let mine = e.opportunities_for(ProfileId::new(2), 5).unwrap();
    assert_eq!(
        mine,
        e.opportunities_for_brute_force(ProfileId::new(2), 5)
            .unwrap()
    );
    assert!(mine.iter().any(|m| m.opportunity == OpportunityId::new(0)));
}

#[test]
fn bad_capital_sectors_and_goals_are_typed_errors_that_name_the_field() {
    let reference = common::reference();
    let loader = Loader::new(reference.clone());
    let mut report = ResolutionReport::default();
    for (text, field) in [
        (
            r#"{"key":"p-1","capital":{"invest_usd":[-5,10]}}"#,
            "capital.invest_usd",
        ),
        (
            r#"{"key":"p-1","capital":{"donate_usd_per_year":[900,100]}}"#,
            "capital.donate_usd_per_year",
        ),
        (
            r#"{"key":"p-1","interests":{"sectors":["A","Z9"]}}"#,
            "interests.sectors[1]",
        ),
        (
            r#"{"key":"p-1","interests":{"sectors":["Q86","86"]}}"#,
            "interests.sectors[1]",
        ),
        (
            r#"{"key":"p-1","interests":{"causes":[6,18]}}"#,
            "interests.causes[1]",
        ),
        (
            r#"{"key":"p-1","interests":{"causes":[6,6]}}"#,
            "interests.causes[1]",
        ),
    ] {
        let e = loader.profile_json(text, 3, &mut report).unwrap_err();
        let shown = e.to_string();
        assert!(shown.contains(field) && shown.contains("p-1"), "{shown}");
        // A profile's values are never printed.
        for value in ["-5", "900", "Z9", "18"] {
            assert!(!shown.contains(value), "{shown}");
        }
    }
    let mut network = diaspora_match::Network::new();
    network
        .add_node("org-1", NodeKind::Organisation, true)
        .unwrap();
    let base = r#""key":"o-1","title":"t","host":"org-1","country":"GH""#;
    for (rest, field) in [
        (r#""engagement":"invest","ticket_usd":[5,1]"#, "ticket_usd"),
        (r#""engagement":"invest","ticket_usd":[0,0]"#, "ticket_usd"),
        (
            r#""engagement":"remote","ticket_usd":[5,10],"requirements":[{"skill":"Python"}]"#,
            "ticket_usd",
        ),
        (r#""engagement":"donate","gap_usd":-3"#, "gap_usd"),
        (r#""engagement":"tourism","gap_usd":100"#, "gap_usd"),
        (r#""engagement":"tourism","sector":"V""#, "sector"),
        (r#""engagement":"tourism","causes":[0]"#, "causes[0]"),
        (
            r#""engagement":"tourism","settlement":["DE","XX"]"#,
            "settlement[1]",
        ),
        (
            r#""engagement":"tourism","settlement":["DE","DEU"]"#,
            "settlement[1]",
        ),
        (r#""engagement":"remote""#, "requirements"),
    ] {
        let text = format!("{{{base},{rest}}}");
        let e = loader
            .opportunity_json(&text, 0, &network, &mut report)
            .unwrap_err();
        assert!(e.to_string().contains(field), "{text}: {e}");
    }
    // An unknown country of settlement is shown with the closest known code.
    let text = format!(r#"{{{base},"engagement":"tourism","settlement":["GH","Germny"]}}"#);
    let e = loader
        .opportunity_json(&text, 0, &network, &mut report)
        .unwrap_err();
    assert!(e.to_string().contains(r#""Germny""#), "{e}");
    assert!(e.to_string().contains(r#""DE""#), "{e}");
    // Tourism, an investment or a donation may have no requirements.
    let ok = format!(r#"{{{base},"engagement":"tourism","causes":[11]}}"#);
    let o = loader
        .opportunity_json(&ok, 0, &network, &mut report)
        .unwrap();
    assert!(o.requirements.is_empty());
}

#[test]
fn capital_and_interests_round_trip_through_records_and_the_engine() {
    let text = r#"{"key":"p-1","origins":[{"country":"GH"}],"engagements":["invest"],"capital":{"invest_usd":[5000,50000],"donate_usd_per_year":[500,2000.5]},"interests":{"sectors":["Q86","A"],"causes":[3,6]}}"#;
    let e = engine(&[text], &[WATER_CHARITY]);
    let back = e.profile(ProfileId::new(0)).unwrap();
    let record = ProfileRecord::from_profile(&back, e.reference());
    let json = serde_json::to_value(&record).unwrap();
    assert_eq!(
        json["capital"]["invest_usd"],
        serde_json::json!([5000.0, 50000.0])
    );
    assert_eq!(
        json["capital"]["donate_usd_per_year"],
        serde_json::json!([500.0, 2000.5])
    );
    // Sectors in ISIC order, as the engine keeps them.
    assert_eq!(
        json["interests"]["sectors"],
        serde_json::json!(["A", "Q86"])
    );
    assert_eq!(json["interests"]["causes"], serde_json::json!([3, 6]));
    let loader = Loader::new(common::reference());
    let again = loader
        .profile(record, 0, &mut ResolutionReport::default())
        .unwrap();
    assert_eq!(again, back);
}

/// On the sample data, the lists of investments, donations and tourism read sensibly:
/// everyone listed can put money in (capital above 0) or shares an interest (tourism), and
/// nobody is ranked above a candidate who is at least as good on every component and better
/// on one.
#[test]
fn the_samples_investments_donations_and_tourism_rank_sensibly() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample");
    let e = Engine::builder(diaspora_match::io::load_dataset(dir, common::reference()).unwrap())
        .build()
        .unwrap();
    let mut checked = 0;
    for (j, o) in e.opportunities().iter().enumerate() {
        let primary = Component::primary(o.engagement);
        if primary == Component::Skills {
            continue;
        }
        let list = e.candidates(OpportunityId::new(j as u32), 10).unwrap();
        assert!(!list.is_empty(), "{}", o.key);
        for m in &list {
            assert!(m.components.get(primary).unwrap() > 0.0, "{}", o.key);
        }
        for (a, b) in list
            .iter()
            .zip(&list[1..])
            .chain(list.iter().zip(list.iter().skip(2)))
        {
            let (x, y) = (a.components, b.components);
            let at_least = Component::ALL.iter().all(|&c| y.get(c) >= x.get(c));
            let better = Component::ALL.iter().any(|&c| y.get(c) > x.get(c));
            assert!(!(at_least && better), "{}: {:?} above {:?}", o.key, a, b);
        }
        checked += 1;
    }
    // Five investments, four donations and a tourism offer.
    assert_eq!(checked, 10);
}
