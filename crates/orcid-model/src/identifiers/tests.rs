//! The input/expected pairs of ORCID's own normalizer tests (ORCID-Source
//! @ `cac0eca2`, `orcid-core/src/test/java/org/orcid/core/utils/v3/identifiers/`:
//! `ArxivNormalizerTest`, `BibcodeNormalizerTest`, `DOINormalizerTest`,
//! `ISBNNormalizerTest`, `ISSNNormalizerTest`, `PMCNormalizerTest`,
//! `PMIDNormalizerTest`, `URINormalizerTest`, `PIDNormalizationServiceTest`)
//! as facts, run against this re-implementation. ORCID's tests call each
//! type's normalizer alone (no case step); `SERVICE` runs the whole service.

use super::*;

/// (type, input, expected) of each type's own normalizer.
const NORMALIZER_CASES: &[(&str, &str, &str)] = &[
    // ArxivNormalizerTest
    ("arxiv", "0704.0001", "arXiv:0704.0001"),
    ("arxiv", "0704.0001v1", "arXiv:0704.0001v1"),
    ("arxiv", "0704.0001v2", "arXiv:0704.0001v2"),
    ("arxiv", "arxiv:0704.0001", "arXiv:0704.0001"),
    ("arxiv", "arXiv:0704.0001v1", "arXiv:0704.0001v1"),
    ("arxiv", "hep-th/9901001", "arXiv:hep-th/9901001"),
    ("arxiv", "hep-th/9901001v1", "arXiv:hep-th/9901001v1"),
    ("arxiv", "math.CA/0611800v2", "arXiv:math.CA/0611800v2"),
    ("arxiv", "ARXIV:hep-th/9901001", "arXiv:hep-th/9901001"),
    ("arxiv", "arxiv:math.CA/0611800v2", "arXiv:math.CA/0611800v2"),
    ("arxiv", "arXiv:physics/9901001v1 [physics.optics] 1 Jan 1999", "arXiv:physics/9901001v1"),
    ("arxiv", "arXiv:0706.0002v3 [astro-ph] 15 Mar 2008", "arXiv:0706.0002v3"),
    ("arxiv", "blah blah blah 0706.0002v3 [astro-ph] 15 Mar 2008", "arXiv:0706.0002v3"),
    ("arxiv", "219812y arxiv:math.CA/0611800v2", "arXiv:math.CA/0611800v2"),
    ("arxiv", "https://onlinelibrary.wiley.com/doi/pdf/10.1002/9781119425526.ch8", ""),
    ("arxiv", "http://arxiv.org/abs/1801.00006v1", "arXiv:1801.00006v1"),
    // BibcodeNormalizerTest
    ("bibcode", "123456789.A23456789", "123456789.A23456789"),
    ("bibcode", "123456789.A23456789 ", "123456789.A23456789"),
    ("bibcode", " 123456789.A23456789", "123456789.A23456789"),
    ("bibcode", " 123456789.A23456789 ", "123456789.A23456789"),
    ("bibcode", "Bibcode: 123456789.A23456789 ", "123456789.A23456789"),
    ("bibcode", "BIBCODE:  123456789.A23456789 ", "123456789.A23456789"),
    ("bibcode", "bibcode 123456789.A23456789 ", "123456789.A23456789"),
    ("bibcode", "1974AJ.....79..819H", "1974AJ.....79..819H"),
    ("bibcode", " 123456789.A2345678 ", ""),
    ("bibcode", " 123456789. A23456789 ", ""),
    ("bibcode", "ABCD56789.A23456789", ""),
    // DOINormalizerTest
    ("doi", "10.123/123", "10.123/123"),
    ("doi", "10.1175/1520-0469(2002)059&amp;lt;2951:ROSSRB&amp;gt;2.0.CO;2", "10.1175/1520-0469(2002)059<2951:ROSSRB>2.0.CO;2"),
    ("doi", "https://dx.doi.org/10.123/123", "10.123/123"),
    ("doi", "http://doi.org/10.123/123", "10.123/123"),
    ("doi", "S0022-2828(12)00261-1 [pii]\n10.1016/j.yjmcc.2012.07.013", "10.1016/j.yjmcc.2012.07.013"),
    ("doi", " 10.1051/0004-6361/201424908", "10.1051/0004-6361/201424908"),
    ("doi", "052029\n10.1088/1742-6596/635/5/052029", "10.1088/1742-6596/635/5/052029"),
    ("doi", " doi:10.1016/B978-0-12-384947-2.00376-7", "10.1016/B978-0-12-384947-2.00376-7"),
    ("doi", "S0901-5027(13)00256-7 [pii] 10.1016/j.ijom.2013.05.017 [doi]\n10.1016/j.ijom.2013.05.017. Epub 2013 Jun 28.", "10.1016/j.ijom.2013.05.017"),
    ("doi", "dx.doi.org/10.24273/JGEET.2016.11.9", "10.24273/JGEET.2016.11.9"),
    ("doi", "Br J Sports Med 2013;47:e3 doi:10.1136/bjsports-2013-092558.24", "10.1136/bjsports-2013-092558.24"),
    ("doi", "ISSN 2040-4689 10.1386/crre.8.1.141_7", "10.1386/crre.8.1.141_7"),
    ("doi", "doi:10.1016/j.foodqual.2016.02.012", "10.1016/j.foodqual.2016.02.012"),
    ("doi", "DOI: 10.1039/c5ra23133g", "10.1039/c5ra23133g"),
    ("doi", "DOI 10.1007/978-981-10-5520-1_60", "10.1007/978-981-10-5520-1_60"),
    ("doi", "DOI:http://dx.doi.org/10.1103/PhysRevApplied.4.014012", "10.1103/PhysRevApplied.4.014012"),
    ("doi", " DOI 10.4236/ojgen.2013.33021 ", "10.4236/ojgen.2013.33021"),
    ("doi", "Doi:10.3153/jfscom.201420", "10.3153/jfscom.201420"),
    ("doi", "http://10.1016/j.lrp.2014.03.001", "10.1016/j.lrp.2014.03.001"),
    ("doi", "http:/dx.doi.org/10.5965/1414573101242015147", "10.5965/1414573101242015147"),
    ("doi", "http://www.dx.doi.org/10.5935/1415-2762.20160006", "10.5935/1415-2762.20160006"),
    ("doi", "http://scitation.aip.org/content/aip/journal/jcp/115/11/10.1063/1.1395625", "10.1063/1.1395625"),
    ("doi", "https://doi.org/10.1049/el:20000645", "10.1049/el:20000645"),
    ("doi", "https://doi.org/10.1016/S0920-5632(02)80001-9", "10.1016/S0920-5632(02)80001-9"),
    ("doi", "10.1016/j.ijom.2013.05.017.", "10.1016/j.ijom.2013.05.017."),
    ("doi", "10.978.962201/9270", "10.978.962201/9270"),
    ("doi", "10.978.98878270/23", "10.978.98878270/23"),
    ("doi", "10.24192/2386-7027(2015)(v3)(09)", "10.24192/2386-7027(2015)(v3)(09)"),
    ("doi", "ijiv11i2a8", ""),
    ("doi", "doi:10.1038", ""),
    ("doi", "papers3://publication/doi/10.1038", ""),
    ("doi", "Unisinos - 10.4013 /cld.2016.141.04", ""),
    // ISBNNormalizerTest
    ("isbn", "0168-132X/n0-7923-4604-1", "0792346041"),
    ("isbn", "0065-3071;978-3-8055-8113-4", "9783805581134"),
    ("isbn", "\" ISBN: 92-828-5179-6 ISSN: 1018-5593\"", "9282851796"),
    ("isbn", "0-444-51034-6 (cloth);0531-5131", "0444510346"),
    ("isbn", "(10) 1-4438-3289-8", "1443832898"),
    ("isbn", "(13): 978-84-939843-2-8", "9788493984328"),
    ("isbn", "(978) 963 301 489 1", "9633014891"),
    ("isbn", "ISBN-10: 0470860782", "0470860782"),
    ("isbn", "ISBN: 972-829-898-6", "9728298986"),
    ("isbn", "\" ISBN: 978-972-789-400-0. \"", "9789727894000"),
    ("isbn", "{ISBN} 1-86094-191-5", "1860941915"),
    ("isbn", "ISBN: 978385476-449-6", "9783854764496"),
    ("isbn", "Print 978-3-642-22940-4; Online 978-3-642-22941-1", "9783642229404"),
    ("isbn", "978-1-4939-2530-8 978-1-4939-2531-5", "9781493925308"),
    ("isbn", "\" 9781136218125 1136218122 9780203096437 0203096436\"", "9781136218125"),
    ("isbn", "\"ISBN-13: 978-3-8443-1057-3, ISBN-10: 3844310576, EAN: 9783844310573\"", "9783844310573"),
    ("isbn", "{981-238-860-5}", "9812388605"),
    ("isbn", "^\\^^9789185245313", "9789185245313"),
    ("isbn", "Vol. 4 ISBN 951-817-386-9.\"", "9518173869"),
    ("isbn", "\"9780415801744 (hardback acid-free paper)", "9780415801744"),
    ("isbn", "\"ISBN 978-3-85132-675-8, 2012\"", "9783851326758"),
    ("isbn", "\"Palgrave 2012, paperback, 978-0-230-27567-6 \"", "9780230275676"),
    ("isbn", "國際標準書號:1572731109", "1572731109"),
    ("isbn", "國際標準書號:157273110X", "157273110X"),
    ("isbn", "國際標準書號:157273110x", "157273110X"),
    ("isbn", "ISBN: 123-456-7-89x junk", "123456789X"),
    ("isbn", "\"0065-2113", ""),
    ("isbn", "12345678901", ""),
    ("isbn", "123456789", ""),
    // ISSNNormalizerTest
    ("issn", "1234-5678", "1234-5678"),
    ("issn", "1234-567X", "1234-567X"),
    ("issn", "0210-9980 DOI: 10.7203/saitabi.64.7258", "0210-9980"),
    ("issn", "Print ISSN: 0974–2441  Online ISSN: 2455–3891", "0974-2441"),
    ("issn", "09599428 13645501", "0959-9428"),
    ("issn", "13886150", "1388-6150"),
    ("issn", "0008-5472;1538-7445", "0008-5472"),
    ("issn", "ISSN 0121-053X  ISSN en línea 2346-1829", "0121-053X"),
    ("issn", "ISSN  0123- 4870   ISSN- E; 0120- 2146", "0123-4870"),
    ("issn", "ISSN 0123-4412", "0123-4412"),
    ("issn", "0277-786X;978-0-8194-9002-5", "0277-786X"),
    ("issn", " (e): 2250-3021, ISSN (p): 2278-8719", "2250-3021"),
    ("issn", "EI Accession number: 10179064", "1017-9064"),
    ("issn", "ISSN: 2351-8200", "2351-8200"),
    ("issn", "ISSN-1870-3984", "1870-3984"),
    ("issn", "1434-9949 (Electronic) 0770-3198 (Linking)", "1434-9949"),
    ("issn", "1473 - 0111 ", "1473-0111"),
    ("issn", "0365-0340 (Print) 1476-3567 (Online)", "0365-0340"),
    ("issn", "978-85-17-00088-1", ""),
    ("issn", "1234567", ""),
    ("issn", "123456789", ""),
    ("issn", "issn:12345678", "1234-5678"),
    ("issn", "11223344", "1122-3344"),
    // PMCNormalizerTest
    ("pmc", "22030407", "22030407"),
    ("pmc", "    PMC4731170", "4731170"),
    ("pmc", "pmc4901884", "4901884"),
    ("pmc", "Pmc4582883", "4582883"),
    ("pmc", "PMC 1234567", "1234567"),
    ("pmc", "123456", "123456"),
    ("pmc", "12345", "12345"),
    ("pmc", " 12345678", "12345678"),
    ("pmc", "PMID: 25123551 [PubMed - in process] PMCID: PMC4146442 ", "4146442"),
    ("pmc", "PMID: 27930716 PMCID: PMC5145179 DOI: 10.1371/journal.pone.0167675", "5145179"),
    ("pmc", "PMCID: PMC4937647", "4937647"),
    ("pmc", "12690141  PMCID: PMC1744630", "1744630"),
    ("pmc", "PMID: 25533354", ""),
    ("pmc", "ISSN: 0363-0269", ""),
    ("pmc", "EMS58897", ""),
    ("pmc", "PMID: 9360540 DOI: 10.1210/jcem.82.11.4385", ""),
    ("pmc", "dx.doi.org/10.1021/jf2029972", ""),
    ("pmc", "Helicobacter ISSN 1523-5378", ""),
    ("pmc", "574: Modeling of Pipeline Corrosion Deterioration Mechanism with a Lévy Process Based on ILI (In‐Line) Inspections", ""),
    ("pmc", "0000-0003-0245-8683", ""),
    ("pmc", "UKMS36054", ""),
    ("pmc", "Biol Res Nursing", ""),
    ("pmc", "pub med", ""),
    ("pmc", "www.sciencedirect.com/science/article/pii/S1741940905000932", ""),
    ("pmc", "NIHMS599470", ""),
    ("pmc", "?", ""),
    // PMIDNormalizerTest
    ("pmid", " 23684069 ", "23684069"),
    ("pmid", "25392386 ", "25392386"),
    ("pmid", " 22301346", "22301346"),
    ("pmid", "PMID: 10082085", "10082085"),
    ("pmid", "PMID: 21054200 [PubMed - indexed for MEDLINE]", "21054200"),
    ("pmid", "PMID: 9528837 [PubMed - indexed for MEDLINE] PMCID: PMC2150087", "9528837"),
    ("pmid", "PMID: 28005710 ", "28005710"),
    ("pmid", "PMID:   28005710", "28005710"),
    ("pmid", "      28005710 ", "28005710"),
    ("pmid", "PubMed PMID: 19006866", "19006866"),
    ("pmid", "doi: 10.1007/s10827-015-0564-6. Epub 2015 Apr 24. PMID: 25904470", "25904470"),
    ("pmid", "http://europepmc.org/abstract/med/26687626", "26687626"),
    ("pmid", "http://europepmc.org/abstract/MED/26687626", "26687626"),
    ("pmid", "http://www.ncbi.nlm.nih.gov/pubmed/16475611", "16475611"),
    ("pmid", "J Psychopharmacol. 2014 Oct;28(10):935-46. doi: 10.1177/0269881114542856. Epub 2014 Jul 16.", ""),
    ("pmid", "PMC27092172", ""),
    ("pmid", "0000-0003-0245-8683", ""),
    ("pmid", "ISI:000232786000040", ""),
    ("pmid", "10.3991%2Fijet.v3i0.551", ""),
    ("pmid", "org/10.1016/j.psychres.2017.05.027", ""),
    ("pmid", "MR2098779", ""),
    ("pmid", "orci,org/0000-0003-2246-8555", ""),
    // URINormalizerTest
    ("uri", "https://bbc.co.uk", "https://bbc.co.uk"),
    ("uri", "http://bbc.co.uk", "http://bbc.co.uk"),
    ("uri", "https://www.bbc.co.uk", "https://www.bbc.co.uk"),
    ("uri", "http://www.bbc.co.uk", "http://www.bbc.co.uk"),
    ("uri", "bbc.co.uk", "http://bbc.co.uk"),
    ("uri", "www.bbc.co.uk", "http://www.bbc.co.uk"),
    ("uri", "https://youtu.be/delYABXr4p0", "https://youtu.be/delYABXr4p0"),
];

#[test]
fn each_normalizer_gives_orcids_expected_values() {
    let mut failures = Vec::new();
    for (ty, input, expected) in NORMALIZER_CASES {
        let got = type_normalizer(ty, input);
        if got.as_deref() != Some(*expected) {
            failures.push(format!(
                "{ty} {input:?}: expected {expected:?}, got {got:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// (type, input, expected) of the whole service: the case step first.
/// From `PIDNormalizationServiceTest` (agr, doi, isbn, bibcode), then
/// consequences of the order that ORCID's code shows.
const SERVICE_CASES: &[(&str, &str, &str)] = &[
    ("agr", "UPPER", "upper"),
    ("doi", "https://dx.doi.org/10.1/UPPER", "10.1/upper"),
    ("doi", "http://doi.org/10.1/UPPER", "10.1/upper"),
    ("doi", "10.1/UPPER", "10.1/upper"),
    ("isbn", "ISBN: 123-456-7-89x junk", "123456789X"),
    ("bibcode", " 123456789.A23456789 ", "123456789.A23456789"),
    // Case-sensitive types keep their case.
    ("ark", "ark:/13030/TF5P30086K", "ark:/13030/TF5P30086K"),
    ("uri", "HTTP://Example.org", "http://HTTP://Example.org"),
    // Lower-cased first, so `PMC` after the number is no longer seen: the
    // "known false match" that ORCID's PMCNormalizerTest notes.
    ("pmc", "12690141  PMCID: PMC1744630", "12690141"),
    (
        "arxiv",
        "arXiv:math.CA/0611800v2",
        "arXiv:math.ca/0611800v2",
    ),
    // No normalizer of its own: the case step only, or nothing.
    ("other-id", "  Mixed Case  ", "  mixed case  "),
    ("grant_number", "ABC-1", "abc-1"),
    // Not one of ORCID's types: unchanged.
    ("peer-review", "ISSN:0000-0001", "ISSN:0000-0001"),
    ("DOI", "10.1/UPPER", "10.1/UPPER"),
];

#[test]
fn the_service_runs_the_case_step_then_the_types_normalizer() {
    for (ty, input, expected) in SERVICE_CASES {
        assert_eq!(normalise_value(ty, input), *expected, "{ty} {input:?}");
    }
}

#[test]
fn rrid_forms_follow_the_curie_pattern() {
    // No ORCID test exists for CurieNormalizer; these follow its pattern.
    for (input, expected) in [
        ("AB_123456", "RRID:AB_123456"),
        ("rrid:SCR_012345", "RRID:SCR_012345"),
        ("RRID: CVCL_0030", "RRID:CVCL_0030"),
        ("see IMSR_JAX:000664", "RRID:IMSR_JAX:000664"),
        ("MMRRC_000123-UCD", "RRID:MMRRC_000123-UCD"),
        ("ab_123456", ""),
        ("nothing", ""),
    ] {
        assert_eq!(normalise_value("rrid", input), expected, "{input:?}");
    }
}

#[test]
fn what_a_read_shows() {
    assert_eq!(
        normalize("doi", "https://doi.org/10.1000/ABC"),
        Normalized::Value("10.1000/abc".into())
    );
    assert_eq!(
        normalize("peer-review", "issn:1234-5678"),
        Normalized::NoNormalizer("issn:1234-5678".into())
    );
    let failed = normalize("doi", "no doi here");
    assert_eq!(failed.shown(), None);
    assert_eq!(
        failed.failure(),
        Some(&NormalizationFailure {
            code: 8001,
            message: "Cannot normalize identifier value doi:no doi here".into(),
        })
    );
    // A blank result fails too (ORCID trims before its emptiness test).
    assert!(normalize("other-id", "   ").failure().is_some());
    assert!(normalize("isbn", "12345678901").failure().is_some());
    assert_eq!(
        normalize("uri", "example.org").shown(),
        Some("http://example.org")
    );
}

#[test]
fn duplicates_compare_normalized_values_except_for_fundings() {
    let a = ("doi", "https://doi.org/10.1000/ABC");
    let b = ("doi", "10.1000/abc");
    assert!(same_id(IdPlace::Work, a, b));
    assert!(same_id(IdPlace::Affiliation, b, a));
    assert!(!same_id(IdPlace::Funding, a, b));
    assert!(same_id(IdPlace::Funding, b, b));
    // Types compare exactly.
    assert!(!same_id(
        IdPlace::Work,
        ("doi", "10.1/x"),
        ("isbn", "10.1/x")
    ));
    // A new id that does not normalize compares raw values.
    assert!(same_id(IdPlace::Work, ("doi", "nope"), ("doi", "nope")));
    assert!(!same_id(IdPlace::Work, ("doi", "nope"), ("doi", "NOPE")));
    // ... and one that does never equals one that does not.
    assert!(!same_id(IdPlace::Work, ("doi", "10.1/x"), ("doi", "x")));
    // The case step alone makes other-ids equal.
    assert!(same_id(
        IdPlace::Work,
        ("other-id", "ABC"),
        ("other-id", "abc")
    ));
}

#[test]
fn the_places_orcid_fills() {
    let filled: Vec<IdPlace> = IdPlace::ALL
        .into_iter()
        .filter(|p| p.normalized_on_read())
        .collect();
    assert_eq!(
        filled,
        [
            IdPlace::Work,
            IdPlace::PeerReview,
            IdPlace::ResearchResource,
            IdPlace::Affiliation
        ]
    );
    assert!(!IdPlace::Funding.duplicates_compare_normalized());
}

#[test]
fn entities_unescape_like_commons_text() {
    assert_eq!(
        unescape_xml("a&amp;b&lt;&#65;&#x42;&bogus;&#;"),
        "a&b<AB&bogus;&#;"
    );
    assert_eq!(unescape_repeatedly("&amp;amp;lt;"), "<");
}

#[test]
fn the_types_are_sorted_and_match_the_validators_list() {
    assert!(IDENTIFIER_TYPES.windows(2).all(|w| w[0].name < w[1].name));
    let list = include_str!("../../../orcid-validate/data/identifier-types.txt");
    let names: Vec<&str> = list
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let ours: Vec<&str> = IDENTIFIER_TYPES.iter().map(|t| t.name).collect();
    assert_eq!(ours, names);
    for t in TYPES_WITH_NORMALIZER {
        assert!(id_type(t).is_some(), "{t}");
    }
}

#[test]
fn hostile_input_does_not_panic() {
    let long = "10.".repeat(20_000) + &"1".repeat(20_000);
    for t in TYPES_WITH_NORMALIZER {
        let _ = normalize(t, &long);
        let _ = normalize(t, "\u{0}\u{2028}&#xFFFFFFFF;&#55296;");
    }
}

#[test]
fn set_normalized_fills_only_where_orcid_does() {
    use crate::v3_0::Document as D;
    let id = |ty: &str, v: &str| {
        format!(
            "<common:external-id><common:external-id-type>{ty}</common:external-id-type><common:external-id-value>{v}</common:external-id-value><common:external-id-relationship>self</common:external-id-relationship></common:external-id>"
        )
    };
    let work = format!(
        r#"<work:work xmlns:work="http://www.orcid.org/ns/work" xmlns:common="http://www.orcid.org/ns/common"><work:title><common:title>T</common:title></work:title><work:type>book</work:type><common:external-ids>{}{}</common:external-ids></work:work>"#,
        id("doi", "DOI:10.1/ABC"),
        id("isbn", "12"),
    );
    let mut doc = D::from_xml(&work).unwrap();
    set_normalized(&mut doc);
    let D::WorkWork(w) = &doc else { panic!() };
    let ids = &w.external_ids.as_ref().unwrap().external_id;
    assert_eq!(
        ids[0]
            .external_id_normalized
            .as_ref()
            .map(|n| (n.value.as_str(), n.transient)),
        Some(("10.1/abc", Some(true)))
    );
    assert!(ids[0].external_id_normalized_error.is_none());
    let err = ids[1].external_id_normalized_error.as_ref().unwrap();
    assert_eq!(err.error_code.as_deref(), Some("8001"));
    assert_eq!(
        err.error_message.as_deref(),
        Some("Cannot normalize identifier value isbn:12")
    );
    assert_eq!(err.transient, Some(true));
    // The XML shows them where the XSD puts them.
    let xml = doc.to_xml(false);
    assert!(xml.contains(r#"<common:external-id-normalized transient="true">10.1/abc</common:external-id-normalized>"#), "{xml}");
    clear_normalized(&mut doc);
    assert_eq!(doc, D::from_xml(&work).unwrap());

    // A funding's ids get neither, even if a client sent one.
    let funding = r#"<funding:funding xmlns:funding="http://www.orcid.org/ns/funding" xmlns:common="http://www.orcid.org/ns/common"><funding:type>grant</funding:type><funding:title><common:title>T</common:title></funding:title><common:external-ids><common:external-id><common:external-id-type>doi</common:external-id-type><common:external-id-value>10.1/A</common:external-id-value><common:external-id-normalized transient="true">x</common:external-id-normalized><common:external-id-relationship>self</common:external-id-relationship></common:external-id></common:external-ids><common:organization><common:name>O</common:name><common:address><common:city>C</common:city><common:country>NZ</common:country></common:address></common:organization></funding:funding>"#;
    let mut doc = D::from_xml(funding).unwrap();
    set_normalized(&mut doc);
    assert!(!doc.to_xml(false).contains("external-id-normalized"));
}
