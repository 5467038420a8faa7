<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>ApiKeyStore</name>
    <message>
        <source>saving the API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading the API keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading an API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>looking up an API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>revoking the API key</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AuditStore</name>
    <message>
        <source>recording the change in the audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading the audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pruning the audit log</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MasterKey</name>
    <message>
        <source>the key file %1 cannot be read: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the key file %1 does not hold a master key (expected base64 of 32 bytes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the key file %1 appeared meanwhile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write the key file %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot make the key file %1 private</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is set but does not hold a master key (expected base64 of 32 bytes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 holds an entry &quot;%2&quot; that is not a master key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>entry &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the system&apos;s random number generator failed; no master key was made</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 did not take the new master key (%2); it goes in a key file instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the master key comes from %1, which Hookline cannot change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the system keychain is not available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot replace the key file %1 with %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the new key is no longer in the system keychain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (not set)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (no entry &quot;%2&quot;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the system keychain (none in this session)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the key file %1 (no such file)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the environment variable %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the system keychain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a key file</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Hookline</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusText</name>
    <message>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Being delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting to retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TimeText</name>
    <message>
        <source>just now</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>%n min ago</numerusform>
            <numerusform>%n min ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>%n h ago</numerusform>
            <numerusform>%n h ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n days ago</source>
        <translation>
            <numerusform>%n day ago</numerusform>
            <numerusform>%n days ago</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>hookline::AboutDialog</name>
    <message>
        <source>About Hookline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h2&gt;Hookline %1&lt;/h2&gt;&lt;p&gt;Outgoing webhooks: signed, delivered, retried, and kept in a history you can browse.&lt;/p&gt;&lt;p&gt;Built with Qt %2 (running on %3) and %4.&lt;/p&gt;&lt;h3&gt;Licences&lt;/h3&gt;&lt;p&gt;Qt is used under the GNU Lesser General Public License v3 (Qt Charts and Qt HTTP Server under the GNU GPL v3). OpenSSL 3 is used under the Apache License 2.0. SQLite is in the public domain.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hookline icon</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::AddressPolicy</name>
    <message>
        <source>unspecified (0.0.0.0/8)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>private (RFC 1918)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>shared address space (CGNAT, RFC 6598)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loopback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>link-local (including the cloud metadata service)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IETF protocol assignments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>benchmarking (RFC 2544)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>multicast</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reserved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unspecified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unique local (IPv6)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>link-local (IPv6)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>multicast (IPv6)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NAT64</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not an address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>broadcast</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loopback (localhost)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::AlertBanner</name>
    <message>
        <source>Show &amp;failures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-&amp;enable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Webhook alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shows this webhook&apos;s deliveries that failed, or that wait to be retried</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turns the webhook back on; its failures are counted afresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This webhook is failing since %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It keeps being retried; you will be told when it delivers again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The engine deactivated this webhook %1: %2. New events make no deliveries for it until it is re-enabled.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::AlertNotifier</name>
    <message numerus="yes">
        <source>%1 and %n more</source>
        <translation>
            <numerusform>%1 and %n more</numerusform>
            <numerusform>%1 and %n more</numerusform>
        </translation>
    </message>
    <message>
        <source>Webhook “%1” is failing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Webhook “%1” was deactivated: its receiver is gone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Webhook “%1” was deactivated</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n webhooks need attention</source>
        <translation>
            <numerusform>%n webhook needs attention</numerusform>
            <numerusform>%n webhooks need attention</numerusform>
        </translation>
    </message>
    <message>
        <source>Webhook “%1” delivers again</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n webhooks deliver again</source>
        <translation>
            <numerusform>%n webhook delivers again</numerusform>
            <numerusform>%n webhooks deliver again</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>hookline::AlertService</name>
    <message>
        <source>the limit must be between 1 and %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::AlertStore</name>
    <message>
        <source>reading the health of webhooks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading the failing webhooks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>counting a webhook&apos;s attempts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading a webhook&apos;s alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>recording an alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>recording a webhook&apos;s health</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>alert %1 has the unknown kind &quot;%2&quot; in the database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>removing old alerts</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::AlertText</name>
    <message numerus="yes">
        <source>%n deliveries in a row failed (the last: %1)</source>
        <translation>
            <numerusform>%n delivery failed (the last: %1)</numerusform>
            <numerusform>%n deliveries in a row failed (the last: %1)</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2 attempts in the last %3 min succeeded, under the %4 % threshold (the last: %5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>deactivated after %n deliveries in a row failed (the last: %1)</source>
        <translation>
            <numerusform>deactivated after %n delivery failed (the last: %1)</numerusform>
            <numerusform>deactivated after %n deliveries in a row failed (the last: %1)</numerusform>
        </translation>
    </message>
    <message>
        <source>the receiver answered 410 Gone: it wants no more deliveries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>delivers again after failing since %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>turned back on by %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::AlertWatch</name>
    <message>
        <source>could not write the operational event&apos;s data</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::ApiKeyModel</name>
    <message>
        <source>(no name)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all tenants (admin)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>revoked %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key begins</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::ApiKeyService</name>
    <message>
        <source>an admin key is for every tenant: give no tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is required (or make an admin key)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is longer than 200 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the system&apos;s random number generator failed; no key was made</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no API key &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::AttemptDialog</name>
    <message>
        <source>Delivery summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request headers and body</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Response status, headers and body</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>R&amp;esponse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy as c&amp;url</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy &amp;payload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy as curl</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy payload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This delivery no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No attempt yet. The body that will be sent:

%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status: %1
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error: %1
</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 of event %2 (%3) to %4 — %5 after %n attempts</source>
        <translation>
            <numerusform>%1 of event %2 (%3) to %4 — %5 after %n attempt</numerusform>
            <numerusform>%1 of event %2 (%3) to %4 — %5 after %n attempts</numerusform>
        </translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivery of %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attempt %1: %2 in %3 ms
%4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration: %1 ms
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to: %1
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timings: %1
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Then: %1
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DNS %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connecting at %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS done at %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>first byte at %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>total %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::AuditDialog</name>
    <message>
        <source>Audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit log entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter: a webhook id, a user, an action…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter the audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit log status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Filter:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh the audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the audit log…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The newest %1 changes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n change(s).</source>
        <translation>
            <numerusform>%n change.</numerusform>
            <numerusform>%n change(s).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>hookline::AuditModel</name>
    <message>
        <source>(default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 → %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::CaCertificates</name>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no such file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 bytes, more than a CA file holds (at most 16 MB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>holds a private key (%1), which has no place in a CA file; give a file of CA certificates only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>holds no certificate, only PEM blocks of other kinds (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>holds a certificate in DER form; give it in PEM form (openssl x509 -inform der -in %1 -out ca.pem)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>holds no certificate: expected PEM text with -----BEGIN CERTIFICATE----- blocks</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::CatalogDialog</name>
    <message>
        <source>Event catalog</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event types</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event type name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event type description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sample payload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Catalog message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sample &amp;payload:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New t&amp;ype</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>De&amp;lete type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete event type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete %1 from the catalog?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import catalog</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON files (*.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing imported: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 added, %2 updated, %3 unchanged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export catalog</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::CatalogService</name>
    <message>
        <source>&quot;%1&quot; is not a valid event type name (lowercase words separated by dots, like lead.created)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; must be &quot;%2&quot;, the part of %3 before the first dot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>of %1 is longer than 1000 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>of %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>of %1 is larger than 64 KB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not valid JSON: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a JSON object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown format %1 (expected &quot;%2&quot;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;catalog&quot; must be a non-empty string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing the &quot;eventTypes&quot; array</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;eventTypes&quot; must be an array</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be an object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no &quot;name&quot; string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2): &quot;group&quot; must be a string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2): &quot;catalog&quot; must be a non-empty string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2): &quot;description&quot; must be a string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2): &quot;samplePayload&quot; must be an object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 is listed twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 is built into Hookline and cannot be imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no built-in catalog &quot;%1&quot; (known: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is built into Hookline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is built into Hookline and cannot be deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no event type &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::Database</name>
    <message>
        <source>invalid PostgreSQL URL: %1 (expected postgresql://user:password@host:port/dbname)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no database name after the host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>schema must be a lower-case identifier: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 may not contain spaces or &apos;;&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown parameter %1 (known: schema, %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is a directory, not a database file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading the journal mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>enabling WAL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot open %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a Hookline database: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>configuring the connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>choosing the schema</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the master key is not loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the master key was not found; looked in: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the master key comes from %1, which Hookline cannot change; run again with --print-new-key and set the variable to the key it prints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the system&apos;s random number generator failed; nothing was changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading the secrets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>secret %1 does not open with the current master key; nothing was changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>saving the master key&apos;s probe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the secrets are encrypted under the new key, but it could not replace the old one: %1; it is kept beside it, and the next start finishes the change</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n webhook secret(s) re-encrypted under a new master key (fingerprint %1)</source>
        <translation>
            <numerusform>%n webhook secret re-encrypted under a new master key (fingerprint %1)</numerusform>
            <numerusform>%n webhook secret(s) re-encrypted under a new master key (fingerprint %1)</numerusform>
        </translation>
    </message>
    <message>
        <source>the master key from %1 is not 32 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading the master key&apos;s probe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the webhook secrets are encrypted, and their master key was not found; looked in: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the master key from %1 (fingerprint %2) is not the one the webhook secrets were encrypted with (fingerprint %3); nothing was read or changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a new master key for the webhook secrets of %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>encrypting the secrets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>writing the log back</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n webhook secret(s) of %1 encrypted under the master key from %2</source>
        <translation>
            <numerusform>%n webhook secret of %1 encrypted under the master key from %2</numerusform>
            <numerusform>%n webhook secret(s) of %1 encrypted under the master key from %2</numerusform>
        </translation>
    </message>
    <message>
        <source>encrypting a secret failed; nothing was changed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::DatabaseTransfer</name>
    <message>
        <source>looking for a running engine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an engine is delivering from this database (%1 deliveries leased): stop hookline-cli deliver or serve, and the windows, first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading the master key&apos;s fingerprint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the copy of %1 differs from its source (%2 rows, checksum %3; copied %4 rows, checksum %5): nothing was changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>checking %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a SQLite database: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is damaged: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a Hookline database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>backup copies a SQLite database; back up PostgreSQL with pg_dump (README.md, Backup and restore)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give the backup&apos;s file name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 exists already: a backup never overwrites a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>copying the database into %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>restore puts back a SQLite backup; restore PostgreSQL with pg_restore (README.md, Backup and restore)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was made by a newer Hookline (schema version %2; this one knows up to %3): restore it with that version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 records no master key, so its secrets could not be read here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1&apos;s secrets are sealed with another master key (fingerprint %2; this installation&apos;s is %3): restore it where HOOKLINE_MASTER_KEY holds that key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot copy %1 to %2 to upgrade it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>opening %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>db copy moves a SQLite installation; this one is on PostgreSQL already</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a postgresql:// URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the master key of this installation was not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 already has another master key (%2): the copied secrets could not be read there</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>looking at the target schema</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not empty (%2 tables): db copy only writes into an empty schema</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the data was copied, but its master key could not be kept for it (%1): open it with HOOKLINE_MASTER_KEY set to this installation&apos;s key</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::DeliveryChart</name>
    <message>
        <source>&amp;All webhooks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chart range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chart all webhooks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deliveries over time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Succeeded and failed deliveries per period, stacked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ra&amp;nge:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All webhooks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hour of day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Day of month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deliveries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 24 hours: %1 succeeded, %2 failed; the busiest hour had %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 30 days: %1 succeeded, %2 failed; the busiest day had %3.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::DeliveryHistoryModel</name>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::DeliveryQueue</name>
    <message>
        <source>recovering expired leases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>claiming due deliveries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>claiming a delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading event bodies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>recording an attempt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>recording a delivery&apos;s state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>counting failures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deactivating a webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>handing deliveries back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading the next due time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>counting unfinished deliveries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>queueing a replay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>finding deliveries to replay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>finding the retention cut-off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>finding old deliveries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deleting old deliveries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deleting events without deliveries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading due deliveries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading who holds leases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>taking back a stopped process&apos;s leases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>counting a webhook&apos;s deliveries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading the file&apos;s page counts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading the file&apos;s page size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>turning incremental vacuum on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rewriting the database file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading the vacuum mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>giving free pages back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>putting claimed deliveries back in line</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::DeliveryService</name>
    <message>
        <source>a page holds at least one delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the offset cannot be negative</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>continue after a delivery or skip an offset, not both</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no delivery with id &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the event of delivery %1 is no longer kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>delivery %1 has no attempt yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a bucket lasts at least one second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>delivery %1 is being delivered right now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only finished deliveries are replayed: succeeded or failed, not %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::DeliveryStore</name>
    <message>
        <source>reading the delivery history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>counting deliveries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading a delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading attempts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading the last delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>counting recent deliveries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading delivery counts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>delivery %1 has the unknown status &quot;%2&quot; in the database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a delivery of webhook %1 has the unknown status &quot;%2&quot; in the database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading the delivery to continue after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no delivery with id &quot;%1&quot; to continue after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>finding the oldest due delivery</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::DeliveryWorker</name>
    <message>
        <source>extraCaCertificates: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::DurationEdit</name>
    <message numerus="yes">
        <source>seconds</source>
        <comment>duration unit</comment>
        <translation>
            <numerusform>second</numerusform>
            <numerusform>seconds</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>minutes</source>
        <comment>duration unit</comment>
        <translation>
            <numerusform>minute</numerusform>
            <numerusform>minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>hours</source>
        <comment>duration unit</comment>
        <translation>
            <numerusform>hour</numerusform>
            <numerusform>hours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>days</source>
        <comment>duration unit</comment>
        <translation>
            <numerusform>day</numerusform>
            <numerusform>days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>hookline::EmptyStatePane</name>
    <message>
        <source>Create a &amp;webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No webhooks yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A webhook sends the events you choose to a URL of yours, signed so that the receiver can check they come from you, and retried until it answers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give it the receiver&apos;s URL, pick the events, save: the receiver gets the signing secret from the Secret tab, and Send test ping (Ctrl+T) checks the whole path.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a webhook</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::EventService</name>
    <message>
        <source>%1 MB</source>
        <extracomment>A size in megabytes (MB).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown event type &quot;%1&quot; (see event-types list)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no tenant &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the event data is %1, over the 1 MB limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>invalid JSON: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the event body would be %1, over the 1 MB limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no webhook with id &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;event&quot; must be an event type name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;tenant&quot; must be a string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown field &quot;%1&quot; (expected event, data, tenant)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file holds no event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>longer than %1 MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading the batch: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no event to record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 events in one request; at most %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the idempotency key &quot;%1&quot; was used for another request in the last 24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is an operational event: only Hookline sends it</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::EventStore</name>
    <message>
        <source>reading subscriptions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>recording an event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>recording a delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading an event</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::EventTypeStore</name>
    <message>
        <source>listing event types</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading an event type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>saving an event type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deleting an event type</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::EventTypeTree</name>
    <message>
        <source>All events (*), &amp;including types added later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subscribe to every event type, including types added to the catalog later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event types</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the event types this webhook receives; a checked group means all of that group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checked: every %1 event, including types added later (%1.*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group %1, all its events</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::HeadersEditor</name>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom headers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Headers sent with every delivery, after Hookline&apos;s own</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom header problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is given twice</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::HistoryView</name>
    <message>
        <source>Fro&amp;m</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>T&amp;o</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event type filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter from date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter to date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number of deliveries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivery history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>St&amp;atus:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;vent:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry &amp;now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy as c&amp;url</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy &amp;payload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Details…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy as curl</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy payload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attempt details</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n deliveries</source>
        <translation>
            <numerusform>%n delivery</numerusform>
            <numerusform>%n deliveries</numerusform>
        </translation>
    </message>
    <message>
        <source>This delivery is being delivered right now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queued again: it is sent as soon as a worker is free.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No attempt to copy yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The last attempt&apos;s request is on the clipboard as a curl command.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payload copied.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acts on the delivery selected in the table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The history could not be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent again: %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::IdempotencyStore</name>
    <message>
        <source>reading an idempotency key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>replacing an idempotency key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keeping an idempotency key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>forgetting old idempotency keys</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::Inspector</name>
    <message>
        <source>the inspector listens on loopback only (127.0.0.1 or ::1), not on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot listen on %1:%2: %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::InspectorDialog</name>
    <message>
        <source>&amp;Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy &amp;URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Drop the connection without answering</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request inspector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any free port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inspector address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not listening.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer delay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry-After</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No verification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verify with the secrets of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer &amp;with status:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A&amp;fter:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Retry-After:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Verify with:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listening on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>valid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>invalid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signature: valid (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signature: not valid for %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mistake: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fix: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Body, pretty:</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Body, raw (%n bytes):</source>
        <translation>
            <numerusform>Body, raw (%n byte):</numerusform>
            <numerusform>Body, raw (%n bytes):</numerusform>
        </translation>
    </message>
    <message>
        <source>Inspection note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Making a copy of the webhook that points here…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No copy was made: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is an inactive copy pointed here (the original is untouched); a test ping is on its way. Activate the copy to watch its real deliveries; delete it when done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The test ping was not sent: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::InspectorModel</name>
    <message>
        <source>dropped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signature</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::Installation</name>
    <message>
        <source>no built-in catalog &quot;%1&quot; (known: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a postgresql:// URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this session has no system keychain to keep the password in; leave it out of the URL and put it in ~/.pgpass</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::MainWindow</name>
    <message>
        <source>Hookline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>D&amp;uplicate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+D</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Activate / deactivate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Shift+A</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send &amp;test ping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+T</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Pause delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Shift+P</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send &amp;event…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event &amp;catalog…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+K</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History of &amp;all webhooks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+H</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Hookline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+,</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Engine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search webhooks (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search webhooks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Webhooks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Webhook details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sec&amp;ret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Histor&amp;y</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Charts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The webhook has changes that are not saved. Save them?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deacti&amp;vate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Activate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — queue unknown (database unreachable)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 — %n deliveries queued</source>
        <translation>
            <numerusform>%1 — %n delivery queued</numerusform>
            <numerusform>%1 — %n deliveries queued</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (copy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete “%1” and its whole delivery history? This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Audit log…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tenants and API keys…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Si&amp;gnature debugger…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Request inspector…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Inspect this webhook…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::Migrations</name>
    <message>
        <source>reading the schema version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting for another migration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>creating the migration table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>applying schema version %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the database has schema version %1 but this Hookline knows versions up to %2: it was written by a newer Hookline; upgrade Hookline to open it (the file was left untouched)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>inspecting the database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file holds tables but is not a Hookline database (no schema_migrations table); it was left untouched</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::NewKeyDialog</name>
    <message>
        <source>&amp;Copy key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The API key for %1. It is shown this once: Hookline keeps only a hash of it. Copy it into the product that will call the API now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not copied yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Copied. The clipboard is cleared in %n seconds.</source>
        <translation>
            <numerusform>Copied. The clipboard is cleared in %n second.</numerusform>
            <numerusform>Copied. The clipboard is cleared in %n seconds.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>hookline::PlanDialog</name>
    <message>
        <source>&amp;Unlimited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Un&amp;limited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GOLD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plan name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Webhooks allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlimited webhooks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API requests a minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlimited API requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Webhooks allowed:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API &amp;requests a minute (per key):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add plan</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::PlanService</name>
    <message>
        <source>no plan &quot;%1&quot; (plans: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid plan name (letters, digits, &apos;_&apos;, &apos;-&apos;; at most 32)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be from 0 to %1, or unlimited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be from 1 to %1, or unlimited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the plan &quot;%1&quot; exists already</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is a built-in plan and keeps its limits; add a plan of your own instead</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::PlanStore</name>
    <message>
        <source>reading a plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>listing plans</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>creating a plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>changing a plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>counting a plan&apos;s tenants</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::PrivateFiles</name>
    <message>
        <source>cannot create the folder %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot make the folder %1 private</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot make %1 private: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is open to other users of this computer, and it holds every webhook&apos;s secret; make it private with: chmod 600 %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::QueueKeeper</name>
    <message>
        <source>could not listen for new deliveries; polling every %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>delivery %1 is not there or is being delivered</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::RetryTimeline</name>
    <message>
        <source>Retry timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When each attempt of a failing delivery would be made</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attempt 1: at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry %1 (attempt %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivery fails for good</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>+%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (between +%1 and +%2 with jitter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The webhook is deactivated when %n deliveries in a row fail</source>
        <translation>
            <numerusform>The webhook is deactivated when a delivery fails</numerusform>
            <numerusform>The webhook is deactivated when %n deliveries in a row fail</numerusform>
        </translation>
    </message>
    <message>
        <source>The webhook is never deactivated automatically</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::SchemeDescriptor</name>
    <message>
        <source>Standard Webhooks (webhook-signature)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>webhook-id, webhook-timestamp and webhook-signature: v1,&lt;base64&gt; of id.timestamp.body for each current secret, keyed with the base64 after whsec_</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HMAC-SHA256, hex (&lt;P&gt;-Signature)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;P&gt;-Signature: hex HMAC-SHA256 of the body, keyed with the secret as text; only the newest secret signs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HMAC-SHA256, base64 (&lt;P&gt;-Signature)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;P&gt;-Signature: base64 HMAC-SHA256 of the body, keyed with the secret as text; only the newest secret signs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timestamped, sha256= (&lt;P&gt;-Signature, &lt;P&gt;-Timestamp)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;P&gt;-Signature: sha256=&lt;hex&gt; of timestamp.body, beside &lt;P&gt;-Timestamp; keyed with the secret as text; only the newest secret signs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub (X-Hub-Signature-256)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>X-Hub-Signature-256: sha256=&lt;hex&gt; of the body, keyed with the secret as text; only the newest secret signs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stripe (Stripe-Signature)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stripe-Signature: t=&lt;timestamp&gt;,v1=&lt;hex&gt; of timestamp.body for each current secret, keyed with the whole whsec_ secret as text</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::Secret</name>
    <message>
        <source>the secret is empty after the whsec_ prefix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the secret contains non-ASCII characters, so it is not base64</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the secret is not valid base64 (the standard scheme decodes the part after whsec_)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the secret has an impossible base64 length (truncated?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the secret decodes to an empty key</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::SecretPanel</name>
    <message>
        <source>Co&amp;py</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>R&amp;otate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Masked; use Reveal to show it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;veal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reveal secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copies the secret; the clipboard is cleared after 30 seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rotate secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Issues a new secret; the old one keeps signing during the grace period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secret status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secret &amp;key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receivers verify every delivery with this secret. Keep it out of logs and chats.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hi&amp;de</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shown; use Hide to mask it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The clipboard was cleared.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New secret issued. </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A secret is generated when the webhook is saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The previous secret keeps signing beside this one until %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Copied. The clipboard is cleared in %n seconds unless you copy something else.</source>
        <translation>
            <numerusform>Copied. The clipboard is cleared in %n second unless you copy something else.</numerusform>
            <numerusform>Copied. The clipboard is cleared in %n seconds unless you copy something else.</numerusform>
        </translation>
    </message>
    <message>
        <source>Issue a new secret for “%1”?

The current secret keeps signing beside the new one for %2, so receivers can switch over. The new secret is shown and copied to the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>New secret issued and copied to the clipboard, which is cleared in %n seconds unless you copy something else.</source>
        <translation>
            <numerusform>New secret issued and copied to the clipboard, which is cleared in %n second unless you copy something else.</numerusform>
            <numerusform>New secret issued and copied to the clipboard, which is cleared in %n seconds unless you copy something else.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n older secret(s) stopped signing now: at most %1 previous secrets sign beside the current one.</source>
        <translation>
            <numerusform>%n older secret stopped signing now: at most %1 previous secrets sign beside the current one.</numerusform>
            <numerusform>%n older secret(s) stopped signing now: at most %1 previous secrets sign beside the current one.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>hookline::SendEventDialog</name>
    <message>
        <source>&amp;Emit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A JSON object: the data of the event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Emit event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event &amp;type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Te&amp;nant:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Data:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not valid JSON: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Event %1 recorded: %n deliveries queued.</source>
        <translation>
            <numerusform>Event %1 recorded: %n delivery queued.</numerusform>
            <numerusform>Event %1 recorded: %n deliveries queued.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>hookline::Settings</name>
    <message>
        <source>unknown setting &quot;%1&quot; (known: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected true or false, got &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a whole number, got &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a number, got &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be between %1 and %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be a header name of letters, digits and dashes, like X-Webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>there is no webhook %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::SettingsDialog</name>
    <message>
        <source>Request timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secret rotation grace period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow plain &amp;http:// URLs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow private and &amp;local addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A SQLite file path, or a PostgreSQL URL such as postgresql://user@host:5432/hookline (leave the password out to use ~/.pgpass); used from the next start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Used from the next start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Header prefix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deliveries kept per webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extra CA certificates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse for CA certificates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CA certificates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PEM files (*.pem *.crt);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Database:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>La&amp;nguage:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Header &amp;prefix:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request &amp;timeout:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keep deliveries:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rotation &amp;grace:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extra &amp;CA certificates:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deliveries and their signatures travel unencrypted. For development only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Webhooks may then reach this machine and your internal network (server-side request forgery). For development only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database is a file path or a postgresql:// URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A SQLite file path or a PostgreSQL URL; empty keeps the one in use now: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a number and a unit, such as 10 s or 1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a number and a unit, such as 36 h or 2 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests in flight per webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many requests the engine may have in flight to one webhook at once; a webhook may set its own</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests in flight per host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many requests the engine may have in flight to one host at once, all its webhooks together</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slow answer threshold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A webhook that takes longer than this to answer moves to the slow lane: connections of its own and a smaller share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In flight per &amp;webhook:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In flight per h&amp;ost:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slow answer a&amp;fter:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2), fingerprint %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Master key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Webhook secrets are stored encrypted under this key, kept outside the database. hookline-cli secrets rekey replaces it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Master ke&amp;y:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep delivering in the &amp;tray when the window is closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closing the window hides it in the notification area; the engine goes on delivering.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This desktop has no notification area.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alert after failed deliveries in a row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tell when this many deliveries in a row to one webhook ended failed (0: never)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alert under this success rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tell when less than this share of a webhook&apos;s attempts in the last hour succeeded, counted from 10 attempts (0: never)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send operational events to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This webhook receives hookline.webhook.failing, .disabled and .recovered, signed like any delivery; never about itself</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed deliveries in a &amp;row:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Success rate &amp;under:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Operational &amp;events to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (not found)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::SettingsStore</name>
    <message>
        <source>reading a setting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading the settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>saving a setting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>removing a setting</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::SignatureDebugger</name>
    <message>
        <source>The headers are Svix&apos;s (svix-id, svix-timestamp, svix-signature): the Standard Webhooks scheme under other names. They were read as webhook-*.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to fix: Svix&apos;s libraries verify Hookline&apos;s standard scheme with the same secret.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the receiver the current secret; during the grace period it should accept both.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The headers start with %1-, this installation&apos;s with %2-.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make the receiver read %1-Signature, or set the webhook&apos;s header prefix to %2 (Settings).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the clocks (NTP) on both sides, and send timestamps in seconds; a replayed delivery is refused on purpose.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The body ends with a line break that was not signed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send the body exactly as it is (curl --data-binary @file, not -d), or paste it without the last line break.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The body is not the bytes that were signed: the signature matches its compact JSON form (other spacing or line breaks). It was parsed and written again on the way.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verify the raw request body, before any JSON parsing (Express: express.raw(); Flask: request.get_data()).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The signature was made with the whole whsec_… secret as text; this scheme keys HMAC with the bytes of the base64 after whsec_.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decode the part after whsec_ from base64 and use those bytes as the key (the standardwebhooks libraries do).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The signature was made with the base64-decoded bytes after whsec_; this scheme keys HMAC with the secret as text, whsec_ included.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the secret&apos;s UTF-8 text as the key, exactly as shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The digest is right but written in %1; this scheme writes it in %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encode the 32 bytes of HMAC-SHA256 as %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>It verifies with a secret that %n rotations replaced, not with the current one.</source>
        <translation>
            <numerusform>It verifies with the secret the last rotation replaced, not with the current one.</numerusform>
            <numerusform>It verifies with a secret that %n rotations replaced, not with the current one.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>hookline::SignatureDebuggerDialog</name>
    <message>
        <source>&amp;Check signature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signature debugger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None: the secret typed below</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its current and previous secrets are tried, with its signing scheme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The receiver&apos;s secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detect from the headers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing scheme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Header prefix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Headers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name: value, one header a line, as the receiver got them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Body</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The body exactly as received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Load body from a file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signature check result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signature check details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Webhook:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;ecret:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sc&amp;heme:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Header &amp;prefix:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>He&amp;aders:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Body:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load the body</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a header: write Name: value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ The signature verifies, with a secret from before a rotation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ The signature verifies.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✗ The signature does not verify: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheme: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not recognised</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mistake: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fix: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed content, byte for byte (↵ line feed, ← carriage return, → tab, · space at a line&apos;s end):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expected:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Given:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>^ first difference, at character %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::SqliteFile</name>
    <message>
        <source>%1 does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a readable file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot open %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::TableCopy</name>
    <message>
        <source>listing the tables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading the columns of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>there is no table %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>emptying %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>writing %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading the identity columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>continuing the ids of %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::TenantModel</name>
    <message>
        <source>unlimited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Webhooks allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API requests a minute</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::TenantService</name>
    <message>
        <source>&quot;%1&quot; is not a valid tenant id (letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;; at most 64)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tenant &quot;%1&quot; already exists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no tenant &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tenant %1 is on the plan &quot;%2&quot;, which is not in the database</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::TenantStore</name>
    <message>
        <source>reading a tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>listing tenants</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>creating a tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>changing a tenant&apos;s plan</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::TenantsDialog</name>
    <message>
        <source>C&amp;hange plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add &amp;tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;plan…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ad&amp;min key (every tenant)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Create key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Revoke key…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenants and API keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenants</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plan of the selected tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change the selected tenant&apos;s plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>acme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New tenant id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plan of the new tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add the tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Define a new plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. CRM production</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name of the new key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Admin key for every tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create an API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke the selected API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenants and API keys status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P&amp;lan:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New tenant:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key &amp;name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new key belongs to the tenant selected above, or to every tenant when it is an admin key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is now on the %2 plan.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant %1 added, on the %2 plan.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plan %1 added.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key %1 created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every tenant (admin)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tenant %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke the key?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke the API key &quot;%1&quot;? Every request made with it is refused from now on; a running server stops taking it within a second.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key &quot;%1&quot; revoked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (webhooks: %2; requests a minute: %3)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::TestResultBar</name>
    <message>
        <source>Ping detai&amp;ls…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test ping result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test ping details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opens the request and the response of the last test ping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send test ping (Ctrl+T) checks that the receiver answers and accepts the signature.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending a test ping to “%1”…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✗ Test ping to “%1” at %2 not sent: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✗ Test ping to “%1” at %2 was not sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 Test ping to “%2” at %3: %4 in %5 ms%6%7</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ Succeeded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✗ Failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, response: “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The receiver refused it: check that it has the current secret and verifies this webhook&apos;s signing scheme.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::TrayIcon</name>
    <message>
        <source>&amp;Open Hookline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hookline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hookline: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hookline keeps delivering</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The window is closed; deliveries go on. Open it again or quit from this icon.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::UrlText</name>
    <message>
        <source>a space</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a tab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a control character (U+%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>contains %1 at character %2; a URL has none (write a space in a path or query as %20)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>has no scheme (such as https://) before its host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>has no host after %1://</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>has a port, &quot;%1&quot;, that is not a number from 1 to 65535</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>has a port that is not a number from 1 to 65535</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>has a host, &quot;%1&quot;, that is not a valid host name or address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>has a host that is not a valid host name or address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>has a %-sign that is not followed by two hex digits in its path or query (write a literal % as %25)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>has %1 in its path or query, which must be percent-encoded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is not a well-formed URL</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::VerificationCodeView</name>
    <message>
        <source>Copy co&amp;de</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language of the verification code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verification code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copies the code; the secret is not in it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verification code status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verification code &amp;in:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A receiver that verifies this webhook&apos;s deliveries. It reads the secret from the environment variable WEBHOOK_SECRET; the secret is never in the code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::WebhookForm</name>
    <message>
        <source>General</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A name to recognise the webhook by; defaults to the URL&apos;s host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The receiver&apos;s endpoint: https:// and a public address unless the installation allows otherwise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>URL check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>General settings problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing scheme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How deliveries are signed; pick what the receiver verifies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inactive webhooks receive nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Si&amp;gning:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ten&amp;ant:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom headers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Maximum retries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First retry delay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backoff strategy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exponential (delay × 2ⁿ)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fixed delay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Explicit schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delays in seconds between attempts, comma-separated, e.g. 60, 300, 1800, 7200</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jitter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spread each delay randomly by up to this share, so that retries do not arrive all at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto-disable after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deactivate the webhook after this many deliveries in a row fail; 0 never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deliveries kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Newest deliveries kept in the history of this webhook; 0 uses the installation&apos;s setting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installation default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ma&amp;x retries:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>De&amp;lay:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Backoff:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schedule:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Jitter:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Aut&amp;o-disable after:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keep deliveries:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retries problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transformation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JavaScript body of a function of payload that returns the object to send (e&amp;mpty: send the event as it is):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transformation script</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview event type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview transformation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the script on the sample payload of the chosen event type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sam&amp;ple event:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transformation problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Form problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sa&amp;ve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revert changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the receiver&apos;s URL, such as https://example.com/webhooks.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose at least one event type, a whole group, or all events.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The number of retries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The retry delay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The retry schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The jitter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto-disable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The number of deliveries kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The script</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ %1 is a %2 address: allowed by this installation&apos;s settings, for development only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ Plain http:// is allowed by this installation&apos;s settings, for development only. The host is resolved again before every delivery.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ Plain http:// is allowed by this installation&apos;s settings, for development only. The host is resolved again before every delivery and refused if it points to a private address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ Looks good. The host is resolved again before every delivery and refused if it points to a private address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deliveries go to https:// URLs on public addresses.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save shows what needs fixing first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is </source>
        <comment>how a validation reason may start</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must </source>
        <comment>how a validation reason may start</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a number and a unit, such as 30 s, 5 min or 2 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deliveries go to https:// or http:// URLs; this installation also allows private addresses.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deliveries go to https:// or http:// URLs on public addresses.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deliveries go to https:// URLs; this installation also allows private addresses.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ Looks good. The host is resolved again before every delivery.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Not saved: %n problems are marked above.</source>
        <translation>
            <numerusform>Not saved: %n problem is marked above.</numerusform>
            <numerusform>Not saved: %n problems are marked above.</numerusform>
        </translation>
    </message>
    <message>
        <source>Parallel requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many requests the engine may have in flight to this webhook at once; 0 uses the installation&apos;s setting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parallel re&amp;quests:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The number of parallel requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>has </source>
        <comment>how a validation reason may start</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>contains </source>
        <comment>how a validation reason may start</comment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::WebhookListModel</name>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto-disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deactivated %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 succeeded, %2 failed in the last 24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Success (24 h)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No delivery finished in the last 24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failing since %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::WebhookService</name>
    <message>
        <source>no tenant &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>tenant &quot;%1&quot; is on the %2 plan, which allows %n webhook, and has %3</source>
        <translation>
            <numerusform>tenant "%1" is on the %2 plan, which allows %n webhook, and has %3</numerusform>
            <numerusform>tenant "%1" is on the %2 plan, which allows %n webhook, and has %3</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>tenant &quot;%1&quot; is on the %2 plan, which allows %n webhooks, and has %3</source>
        <translation>
            <numerusform>tenant "%1" is on the %2 plan, which allows %n webhook, and has %3</numerusform>
            <numerusform>tenant "%1" is on the %2 plan, which allows %n webhooks, and has %3</numerusform>
        </translation>
    </message>
    <message>
        <source>must be between 0 and 2592000 seconds (30 days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no webhook with id &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (inspector)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A copy of %1 pointed at the request inspector; the original is untouched.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::WebhookStore</name>
    <message>
        <source>reading subscriptions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading custom headers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading secrets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading a webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>listing webhooks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>counting webhooks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>replacing a webhook&apos;s lists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>saving a subscription</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>saving a custom header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>creating a webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>saving a webhook secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>updating a webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deleting a webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expiring the old secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>updating the webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>webhook %1 has the unknown signing scheme &quot;%2&quot; in the database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>webhook %1 has the unknown backoff strategy &quot;%2&quot; in the database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading webhook addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the master key is not loaded: secrets cannot be read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>secret %1 of webhook %2 does not open with the master key (fingerprint %3): another key, or the row was altered or moved; was the key changed by &quot;secrets rekey&quot; in another process? Restart this one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the master key is not loaded: secrets cannot be saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>saving a webhook secret: no row id came back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>encrypting a webhook secret failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>retiring the oldest secrets</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::WebhookValidator</name>
    <message>
        <source>is required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is longer than %1 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must not carry a user name or password; send credentials in a custom header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must not have a #fragment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must use https:// (plain http:// is allowed only when the setting allowInsecureUrls is true)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>host %1 is a %2 address, refused to prevent server-side request forgery (allowed only when the setting allowPrivateAddresses is true)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>subscribe to at least one event type (a name, &quot;group.*&quot; or &quot;*&quot;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot;: no event type in the catalog belongs to the group &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not in the event catalog (see event-types list)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at most %1 custom headers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid header name (letters, digits and !#$%&amp;&apos;*+.^_`|~- only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is set by Hookline and cannot be a custom header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is given twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the value of %1 is longer than %2 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the value of %1 contains a line break or NUL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be between 0 and %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be between %1 and %2 seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at most %1 entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every delay must be between 0 and %1 seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is %1 but the schedule has %2 entries: with a schedule, one retry per entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be a fraction between 0 and 1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be between 0 (never) and %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be 8 to 256 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is not a Standard Webhooks secret (whsec_ + base64): %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>decodes to %1 bytes; the standard scheme needs 16 to 64</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is longer than 200 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is longer than 2000 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be between 1 and 10000000 deliveries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must not contain a tab, a line break or another control character</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must not start or end with a space</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be between 1 and %1 requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (got &quot;%1://&quot;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (it has no scheme)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must start with https:// or http://</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must start with https://</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an inspector copy points at the request inspector on loopback (http://127.0.0.1:PORT/…) only</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::sql</name>
    <message>
        <source>database error while %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waking the delivery engines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not start a transaction: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not commit: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
