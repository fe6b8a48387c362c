//! Property tests over the whole generated model of each API version: any
//! document survives model -> XML -> model, and model -> JSON -> model ->
//! JSON.

/// The same properties for the `Document` of one version module.
macro_rules! round_trips {
    ($v:ident) => {
mod $v {
use proptest::prelude::*;

use crate::$v::Document;

proptest! {
    #![proptest_config(ProptestConfig { cases: 384, max_shrink_iters: 2000, ..ProptestConfig::default() })]

    #[test]
    fn xml_round_trip(doc in any::<Document>()) {
        for pretty in [true, false] {
            let xml = doc.to_xml(pretty);
            let back = Document::from_xml(&xml).map_err(|e| TestCaseError::fail(format!("{e}\n{xml}")))?;
            prop_assert_eq!(&back, &doc);
        }
    }

    #[test]
    fn json_round_trip(doc in any::<Document>()) {
        let json = doc.to_json(true).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let back = Document::from_json(&json, Some(doc.root())).map_err(|e| TestCaseError::fail(format!("{e}\n{json}")))?;
        // XML-only fields (R13) are not in JSON, so compare the JSON images.
        prop_assert_eq!(back.to_json(true).unwrap(), json.clone());
        let compact = doc.to_json(false).unwrap();
        prop_assert_eq!(serde_json::from_str::<serde_json::Value>(&compact).unwrap(), serde_json::from_str::<serde_json::Value>(&json).unwrap());
    }

    #[test]
    fn json_to_xml_to_json(doc in any::<Document>()) {
        // What came from JSON converts to XML and back without change.
        let json = doc.to_json(false).unwrap();
        let from_json = Document::from_json(&json, Some(doc.root())).unwrap();
        let via_xml = Document::from_xml(&from_json.to_xml(true)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(via_xml.to_json(false).unwrap(), json);
    }
}
}
    };
}

round_trips!(v2_1);
round_trips!(v3_0);
