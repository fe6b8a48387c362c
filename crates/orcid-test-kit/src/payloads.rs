//! Item payloads the tests of several crates send: valid under ORCID's
//! v3.0 rules, so that a test fails only on what it is about.

/// An affiliation of section `t` with one `self` grant number `id`: a
/// disambiguated organization with city and country, so that v3.0's
/// organization rules (9045/9046/9060/9061/9062) hold.
pub fn affiliation(t: &str, id: &str, role: &str) -> String {
    format!(
        r#"<{t}:{t} xmlns:{t}="http://www.orcid.org/ns/{t}" xmlns:common="http://www.orcid.org/ns/common">
  <common:role-title>{role}</common:role-title>
  <common:start-date><common:year>2020</common:year></common:start-date>
  <common:organization>
    <common:name>Example University</common:name>
    <common:address><common:city>Berlin</common:city><common:country>DE</common:country></common:address>
    <common:disambiguated-organization>
      <common:disambiguated-organization-identifier>https://ror.org/021nxhr62</common:disambiguated-organization-identifier>
      <common:disambiguation-source>ROR</common:disambiguation-source>
    </common:disambiguated-organization>
  </common:organization>
  <common:external-ids>
    <common:external-id>
      <common:external-id-type>grant_number</common:external-id-type>
      <common:external-id-value>{id}</common:external-id-value>
      <common:external-id-relationship>self</common:external-id-relationship>
    </common:external-id>
  </common:external-ids>
</{t}:{t}>"#
    )
}
