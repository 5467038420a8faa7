<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>QObject</name>
    <message>
        <source>Hookline</source>
        <translation type="unfinished"></translation>
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
</context>
<context>
    <name>hookline::AttemptDialog</name>
    <message>
        <source>Delivery %1</source>
        <translation type="unfinished"></translation>
    </message>
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
    <message numerus="yes">
        <source>%1 of event %2 (%3) to %4 — %5 after %n attempt(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>no response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#%1  %2  %3 ms
%4</source>
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
    <message>
        <source>Duration: %1 ms

</source>
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
        <source>&amp;New type</source>
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
    <name>hookline::DeliveryChart</name>
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
        <source>Deliveries over time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Succeeded and failed deliveries per period, stacked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Range:</source>
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
        <source>Deliveries</source>
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
    <name>hookline::EventTypeTree</name>
    <message>
        <source>&amp;All events (*), including types added later</source>
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
        <source>Add &amp;header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add header</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::HistoryView</name>
    <message>
        <source>&amp;From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;To</source>
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
        <source>&amp;Status:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Event:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Retry now</source>
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
        <source>%n delivery(ies)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 is being delivered right now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 queued again.</source>
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
        <source>E&amp;ngine</source>
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
        <source>S&amp;ecret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;History</source>
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
    <message numerus="yes">
        <source>%1 — %n delivery(ies) queued</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
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
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The webhook is never deactivated automatically</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::SecretPanel</name>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Rotate…</source>
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
        <source>&amp;Secret:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receivers verify every delivery with this secret. Keep it out of logs and chats.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Hide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The clipboard was cleared.</source>
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
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Issue a new secret for “%1”?

The current secret keeps signing beside the new one for %2, so receivers can switch over. The new secret is shown and copied to the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New secret issued and copied. </source>
        <translation type="unfinished"></translation>
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
        <source>&amp;Tenant:</source>
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
        <source>Event %1 recorded: %n delivery(ies) queued.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>hookline::SettingsDialog</name>
    <message>
        <source>Allow plain &amp;http:// URLs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow &amp;private and local addresses</source>
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
        <source>A SQLite file path; used from the next start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Header prefix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deliveries kept per webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secret rotation grace period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extra CA certificates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow insecure URLs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow private addresses</source>
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
        <source>&amp;Database file:</source>
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
        <source>PostgreSQL is not supported yet: give a SQLite file path.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hookline::TestResultBar</name>
    <message>
        <source>Test ping result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending a test ping…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The test ping was not sent.</source>
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
        <source>%1 Test ping: %2 in %3 ms%4%5 — &lt;a href=&quot;%6&quot;&gt;details&lt;/a&gt;</source>
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
        <source>Standard Webhooks (webhook-signature)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HMAC-SHA256, hex (&lt;P&gt;-Signature)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HMAC-SHA256, base64 (&lt;P&gt;-Signature)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timestamped, sha256= (&lt;P&gt;-Signature, &lt;P&gt;-Timestamp)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub (X-Hub-Signature-256)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stripe (Stripe-Signature)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A&amp;ctive</source>
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
        <source>&amp;Signing:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tenant:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events</source>
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
        <source>First retry delay in seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
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
        <source>Max &amp;retries:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>D&amp;elay:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Backoff:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sc&amp;hedule:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Jitter:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto-&amp;disable after:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keep deliveries:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transformation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JavaScript &amp;body of a function of payload that returns the object to send (empty: send the event as it is):</source>
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
        <source>&amp;Preview</source>
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
        <source>Sample e&amp;vent:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Form problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revert changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Required. Deliveries go to https:// URLs on public addresses.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ Looks good. The host is resolved again before every delivery and refused if it points to a private address.</source>
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
</context>
</TS>
