<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>ApiKeyStore</name>
    <message>
        <source>saving the API key</source>
        <translation>enregistrement de la clé d’API</translation>
    </message>
    <message>
        <source>reading the API keys</source>
        <translation>lecture des clés d’API</translation>
    </message>
    <message>
        <source>reading an API key</source>
        <translation>lecture d’une clé d’API</translation>
    </message>
    <message>
        <source>looking up an API key</source>
        <translation>recherche d’une clé d’API</translation>
    </message>
    <message>
        <source>revoking the API key</source>
        <translation>révocation de la clé d’API</translation>
    </message>
</context>
<context>
    <name>AuditStore</name>
    <message>
        <source>recording the change in the audit log</source>
        <translation>enregistrement de la modification dans le journal d’audit</translation>
    </message>
    <message>
        <source>reading the audit log</source>
        <translation>lecture du journal d’audit</translation>
    </message>
    <message>
        <source>pruning the audit log</source>
        <translation>élagage du journal d’audit</translation>
    </message>
</context>
<context>
    <name>MasterKey</name>
    <message>
        <source>the key file %1 cannot be read: %2</source>
        <translation>le fichier de clé %1 ne peut pas être lu&#xa0;: %2</translation>
    </message>
    <message>
        <source>the key file %1 does not hold a master key (expected base64 of 32 bytes)</source>
        <translation>le fichier de clé %1 ne contient pas de clé maîtresse (32 octets en base64 attendus)</translation>
    </message>
    <message>
        <source>the key file %1 appeared meanwhile</source>
        <translation>le fichier de clé %1 est apparu entre-temps</translation>
    </message>
    <message>
        <source>cannot write the key file %1: %2</source>
        <translation>impossible d’écrire le fichier de clé %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>cannot make the key file %1 private</source>
        <translation>impossible de rendre le fichier de clé %1 privé</translation>
    </message>
    <message>
        <source>%1 is set but does not hold a master key (expected base64 of 32 bytes)</source>
        <translation>la variable %1 est définie mais ne contient pas de clé maîtresse (32 octets en base64 attendus)</translation>
    </message>
    <message>
        <source>%1 holds an entry &quot;%2&quot; that is not a master key</source>
        <translation>%1 contient une entrée «&#xa0;%2&#xa0;» qui n’est pas une clé maîtresse</translation>
    </message>
    <message>
        <source>entry &quot;%1&quot;</source>
        <translation>l’entrée «&#xa0;%1&#xa0;»</translation>
    </message>
    <message>
        <source>the system&apos;s random number generator failed; no master key was made</source>
        <translation>le générateur de nombres aléatoires du système a échoué&#xa0;; aucune clé maîtresse n’a été créée</translation>
    </message>
    <message>
        <source>%1 did not take the new master key (%2); it goes in a key file instead</source>
        <translation>%1 n’a pas accepté la nouvelle clé maîtresse (%2)&#xa0;; elle est placée dans un fichier de clé à la place</translation>
    </message>
    <message>
        <source>the master key comes from %1, which Hookline cannot change</source>
        <translation>la clé maîtresse provient de %1, que Hookline ne peut pas modifier</translation>
    </message>
    <message>
        <source>the system keychain is not available</source>
        <translation>le trousseau de clés du système n’est pas disponible</translation>
    </message>
    <message>
        <source>cannot replace the key file %1 with %2</source>
        <translation>impossible de remplacer le fichier de clé %1 par %2</translation>
    </message>
    <message>
        <source>the new key is no longer in the system keychain</source>
        <translation>la nouvelle clé ne se trouve plus dans le trousseau de clés du système</translation>
    </message>
    <message>
        <source>%1 (not set)</source>
        <translation>%1 (non définie)</translation>
    </message>
    <message>
        <source>%1 (no entry &quot;%2&quot;)</source>
        <translation>%1 (aucune entrée «&#xa0;%2&#xa0;»)</translation>
    </message>
    <message>
        <source>the system keychain (none in this session)</source>
        <translation>le trousseau de clés du système (aucun dans cette session)</translation>
    </message>
    <message>
        <source>the key file %1 (no such file)</source>
        <translation>le fichier de clé %1 (fichier inexistant)</translation>
    </message>
    <message>
        <source>the environment variable %1</source>
        <translation>la variable d’environnement %1</translation>
    </message>
    <message>
        <source>the system keychain</source>
        <translation>le trousseau de clés du système</translation>
    </message>
    <message>
        <source>a key file</source>
        <translation>un fichier de clé</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Hookline</source>
        <translation>Hookline</translation>
    </message>
</context>
<context>
    <name>StatusText</name>
    <message>
        <source>Waiting</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Being delivered</source>
        <translation>En cours de livraison</translation>
    </message>
    <message>
        <source>Waiting to retry</source>
        <translation>En attente de nouvelle tentative</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Réussie</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échouée</translation>
    </message>
</context>
<context>
    <name>TimeText</name>
    <message>
        <source>just now</source>
        <translation>à l’instant</translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>il y a %n min</numerusform>
            <numerusform>il y a %n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>il y a %n h</numerusform>
            <numerusform>il y a %n h</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n days ago</source>
        <translation>
            <numerusform>il y a %n jour</numerusform>
            <numerusform>il y a %n jours</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>hookline::AboutDialog</name>
    <message>
        <source>About Hookline</source>
        <translation>À propos de Hookline</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Hookline %1&lt;/h2&gt;&lt;p&gt;Outgoing webhooks: signed, delivered, retried, and kept in a history you can browse.&lt;/p&gt;&lt;p&gt;Built with Qt %2 (running on %3) and %4.&lt;/p&gt;&lt;h3&gt;Licences&lt;/h3&gt;&lt;p&gt;Qt is used under the GNU Lesser General Public License v3 (Qt Charts and Qt HTTP Server under the GNU GPL v3). OpenSSL 3 is used under the Apache License 2.0. SQLite is in the public domain.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;Hookline %1&lt;/h2&gt;&lt;p&gt;Webhooks sortants&#xa0;: signés, livrés, relancés et conservés dans un historique consultable.&lt;/p&gt;&lt;p&gt;Compilé avec Qt %2 (exécuté avec Qt %3) et %4.&lt;/p&gt;&lt;h3&gt;Licences&lt;/h3&gt;&lt;p&gt;Qt est utilisé sous la GNU Lesser General Public License v3 (Qt Charts et Qt HTTP Server sous la GNU GPL v3). OpenSSL 3 est utilisé sous l’Apache License 2.0. SQLite est dans le domaine public.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Hookline icon</source>
        <translation>Icône de Hookline</translation>
    </message>
</context>
<context>
    <name>hookline::AddressPolicy</name>
    <message>
        <source>unspecified (0.0.0.0/8)</source>
        <translation>non spécifiée (0.0.0.0/8)</translation>
    </message>
    <message>
        <source>private (RFC 1918)</source>
        <translation>privée (RFC 1918)</translation>
    </message>
    <message>
        <source>shared address space (CGNAT, RFC 6598)</source>
        <translation>de l’espace d’adressage partagé (CGNAT, RFC 6598)</translation>
    </message>
    <message>
        <source>loopback</source>
        <translation>de bouclage</translation>
    </message>
    <message>
        <source>link-local (including the cloud metadata service)</source>
        <translation>locale au lien (dont le service de métadonnées du cloud)</translation>
    </message>
    <message>
        <source>IETF protocol assignments</source>
        <translation>réservée aux affectations de protocoles de l’IETF</translation>
    </message>
    <message>
        <source>benchmarking (RFC 2544)</source>
        <translation>de test de performances (RFC 2544)</translation>
    </message>
    <message>
        <source>multicast</source>
        <translation>multicast</translation>
    </message>
    <message>
        <source>reserved</source>
        <translation>réservée</translation>
    </message>
    <message>
        <source>unspecified</source>
        <translation>non spécifiée</translation>
    </message>
    <message>
        <source>unique local (IPv6)</source>
        <translation>locale unique (IPv6)</translation>
    </message>
    <message>
        <source>link-local (IPv6)</source>
        <translation>locale au lien (IPv6)</translation>
    </message>
    <message>
        <source>multicast (IPv6)</source>
        <translation>multicast (IPv6)</translation>
    </message>
    <message>
        <source>NAT64</source>
        <translation>NAT64</translation>
    </message>
    <message>
        <source>not an address</source>
        <translation>invalide</translation>
    </message>
    <message>
        <source>broadcast</source>
        <translation>de diffusion (broadcast)</translation>
    </message>
    <message>
        <source>loopback (localhost)</source>
        <translation>de bouclage (localhost)</translation>
    </message>
</context>
<context>
    <name>hookline::AlertBanner</name>
    <message>
        <source>Show &amp;failures</source>
        <translation>Afficher les é&amp;checs</translation>
    </message>
    <message>
        <source>Re-&amp;enable</source>
        <translation>Ré&amp;activer</translation>
    </message>
    <message>
        <source>Webhook alert</source>
        <translation>Alerte du webhook</translation>
    </message>
    <message>
        <source>Shows this webhook&apos;s deliveries that failed, or that wait to be retried</source>
        <translation>Affiche les livraisons de ce webhook qui ont échoué, ou qui attendent une nouvelle tentative</translation>
    </message>
    <message>
        <source>Turns the webhook back on; its failures are counted afresh</source>
        <translation>Réactive le webhook&#xa0;; ses échecs sont recomptés depuis zéro</translation>
    </message>
    <message>
        <source>This webhook is failing since %1.</source>
        <translation>Ce webhook échoue depuis le %1.</translation>
    </message>
    <message>
        <source>It keeps being retried; you will be told when it delivers again.</source>
        <translation>Les nouvelles tentatives continuent&#xa0;; vous serez prévenu quand il livrera de nouveau.</translation>
    </message>
    <message>
        <source>The engine deactivated this webhook %1: %2. New events make no deliveries for it until it is re-enabled.</source>
        <translation>Le moteur a désactivé ce webhook le %1&#xa0;: %2. Les nouveaux événements ne lui font aucune livraison tant qu’il n’est pas réactivé.</translation>
    </message>
</context>
<context>
    <name>hookline::AlertNotifier</name>
    <message numerus="yes">
        <source>%1 and %n more</source>
        <translation>
            <numerusform>%1 et %n autre</numerusform>
            <numerusform>%1 et %n autres</numerusform>
        </translation>
    </message>
    <message>
        <source>Webhook “%1” is failing</source>
        <translation>Le webhook «&#xa0;%1&#xa0;» échoue</translation>
    </message>
    <message>
        <source>Webhook “%1” was deactivated: its receiver is gone</source>
        <translation>Le webhook «&#xa0;%1&#xa0;» a été désactivé&#xa0;: son destinataire n’existe plus</translation>
    </message>
    <message>
        <source>Webhook “%1” was deactivated</source>
        <translation>Le webhook «&#xa0;%1&#xa0;» a été désactivé</translation>
    </message>
    <message numerus="yes">
        <source>%n webhooks need attention</source>
        <translation>
            <numerusform>%n webhook demande votre attention</numerusform>
            <numerusform>%n webhooks demandent votre attention</numerusform>
        </translation>
    </message>
    <message>
        <source>Webhook “%1” delivers again</source>
        <translation>Le webhook «&#xa0;%1&#xa0;» livre de nouveau</translation>
    </message>
    <message numerus="yes">
        <source>%n webhooks deliver again</source>
        <translation>
            <numerusform>%n webhook livre de nouveau</numerusform>
            <numerusform>%n webhooks livrent de nouveau</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>hookline::AlertService</name>
    <message>
        <source>the limit must be between 1 and %1</source>
        <translation>la limite doit être comprise entre 1 et %1</translation>
    </message>
</context>
<context>
    <name>hookline::AlertStore</name>
    <message>
        <source>reading the health of webhooks</source>
        <translation>lecture de l’état de santé des webhooks</translation>
    </message>
    <message>
        <source>reading the failing webhooks</source>
        <translation>lecture des webhooks en échec</translation>
    </message>
    <message>
        <source>counting a webhook&apos;s attempts</source>
        <translation>décompte des tentatives d’un webhook</translation>
    </message>
    <message>
        <source>reading a webhook&apos;s alerts</source>
        <translation>lecture des alertes d’un webhook</translation>
    </message>
    <message>
        <source>recording an alert</source>
        <translation>enregistrement d’une alerte</translation>
    </message>
    <message>
        <source>recording a webhook&apos;s health</source>
        <translation>enregistrement de l’état de santé d’un webhook</translation>
    </message>
    <message>
        <source>reading alerts</source>
        <translation>lecture des alertes</translation>
    </message>
    <message>
        <source>alert %1 has the unknown kind &quot;%2&quot; in the database</source>
        <translation>l’alerte %1 a le type inconnu «&#xa0;%2&#xa0;» dans la base de données</translation>
    </message>
    <message>
        <source>removing old alerts</source>
        <translation>suppression des anciennes alertes</translation>
    </message>
</context>
<context>
    <name>hookline::AlertText</name>
    <message numerus="yes">
        <source>%n deliveries in a row failed (the last: %1)</source>
        <translation>
            <numerusform>%n livraison a échoué (la dernière&#xa0;: %1)</numerusform>
            <numerusform>%n livraisons d’affilée ont échoué (la dernière&#xa0;: %1)</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2 attempts in the last %3 min succeeded, under the %4 % threshold (the last: %5)</source>
        <translation>%1 tentatives réussies sur %2 au cours des %3 dernières minutes, sous le seuil de %4&#xa0;% (la dernière&#xa0;: %5)</translation>
    </message>
    <message numerus="yes">
        <source>deactivated after %n deliveries in a row failed (the last: %1)</source>
        <translation>
            <numerusform>désactivé après %n livraison échouée (la dernière&#xa0;: %1)</numerusform>
            <numerusform>désactivé après %n livraisons échouées d’affilée (la dernière&#xa0;: %1)</numerusform>
        </translation>
    </message>
    <message>
        <source>the receiver answered 410 Gone: it wants no more deliveries</source>
        <translation>le destinataire a répondu 410 Gone&#xa0;: il ne veut plus de livraisons</translation>
    </message>
    <message>
        <source>delivers again after failing since %1</source>
        <translation>livre de nouveau après des échecs depuis le %1</translation>
    </message>
    <message>
        <source>turned back on by %1</source>
        <translation>réactivé par %1</translation>
    </message>
</context>
<context>
    <name>hookline::AlertWatch</name>
    <message>
        <source>could not write the operational event&apos;s data</source>
        <translation>impossible d’écrire les données de l’événement opérationnel</translation>
    </message>
</context>
<context>
    <name>hookline::ApiKeyModel</name>
    <message>
        <source>(no name)</source>
        <translation>(sans nom)</translation>
    </message>
    <message>
        <source>all tenants (admin)</source>
        <translation>tous les locataires (admin)</translation>
    </message>
    <message>
        <source>revoked %1</source>
        <translation>révoquée le %1</translation>
    </message>
    <message>
        <source>active</source>
        <translation>active</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>Locataire</translation>
    </message>
    <message>
        <source>Key begins</source>
        <translation>Début de la clé</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Créée</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
</context>
<context>
    <name>hookline::ApiKeyService</name>
    <message>
        <source>an admin key is for every tenant: give no tenant</source>
        <translation>une clé d’administration vaut pour tous les locataires&#xa0;: n’indiquez pas de locataire</translation>
    </message>
    <message>
        <source>is required (or make an admin key)</source>
        <translation>est obligatoire (ou créez une clé d’administration)</translation>
    </message>
    <message>
        <source>is longer than 200 characters</source>
        <translation>dépasse 200 caractères</translation>
    </message>
    <message>
        <source>the system&apos;s random number generator failed; no key was made</source>
        <translation>le générateur de nombres aléatoires du système a échoué&#xa0;; aucune clé n’a été créée</translation>
    </message>
    <message>
        <source>no API key &quot;%1&quot;</source>
        <translation>aucune clé d’API «&#xa0;%1&#xa0;»</translation>
    </message>
</context>
<context>
    <name>hookline::AttemptDialog</name>
    <message>
        <source>Delivery summary</source>
        <translation>Résumé de la livraison</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Tentatives</translation>
    </message>
    <message>
        <source>Request headers and body</source>
        <translation>En-têtes et corps de la requête</translation>
    </message>
    <message>
        <source>Response status, headers and body</source>
        <translation>Statut, en-têtes et corps de la réponse</translation>
    </message>
    <message>
        <source>&amp;Request</source>
        <translation>&amp;Requête</translation>
    </message>
    <message>
        <source>R&amp;esponse</source>
        <translation>Ré&amp;ponse</translation>
    </message>
    <message>
        <source>Copy as c&amp;url</source>
        <translation>Copier en c&amp;url</translation>
    </message>
    <message>
        <source>Copy &amp;payload</source>
        <translation>Copier la &amp;charge utile</translation>
    </message>
    <message>
        <source>Copy as curl</source>
        <translation>Copier en curl</translation>
    </message>
    <message>
        <source>Copy payload</source>
        <translation>Copier la charge utile</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Chargement…</translation>
    </message>
    <message>
        <source>This delivery no longer exists.</source>
        <translation>Cette livraison n’existe plus.</translation>
    </message>
    <message>
        <source>no response</source>
        <translation>pas de réponse</translation>
    </message>
    <message>
        <source>No attempt yet. The body that will be sent:

%1</source>
        <translation>Aucune tentative pour l’instant. Le corps qui sera envoyé&#xa0;:

%1</translation>
    </message>
    <message>
        <source>Status: %1
</source>
        <translation>Statut&#xa0;: %1
</translation>
    </message>
    <message>
        <source>Error: %1
</source>
        <translation>Erreur&#xa0;: %1
</translation>
    </message>
    <message numerus="yes">
        <source>%1 of event %2 (%3) to %4 — %5 after %n attempts</source>
        <translation>
            <numerusform>%1 de l’événement %2 (%3) vers %4 — %5 après %n tentative</numerusform>
            <numerusform>%1 de l’événement %2 (%3) vers %4 — %5 après %n tentatives</numerusform>
        </translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>Livraison</translation>
    </message>
    <message>
        <source>Delivery of %1 to %2</source>
        <translation>Livraison de %1 vers %2</translation>
    </message>
    <message>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <source>Attempt %1: %2 in %3 ms
%4</source>
        <translation>Tentative %1&#xa0;: %2 en %3 ms
%4</translation>
    </message>
    <message>
        <source>Duration: %1 ms
</source>
        <translation>Durée&#xa0;: %1 ms
</translation>
    </message>
    <message>
        <source>Connected to: %1
</source>
        <translation>Connecté à&#xa0;: %1
</translation>
    </message>
    <message>
        <source>Timings: %1
</source>
        <translation>Étapes&#xa0;: %1
</translation>
    </message>
    <message>
        <source>Then: %1
</source>
        <translation>Ensuite&#xa0;: %1
</translation>
    </message>
    <message>
        <source>DNS %1 ms</source>
        <translation>DNS %1 ms</translation>
    </message>
    <message>
        <source>connecting at %1 ms</source>
        <translation>connexion à %1 ms</translation>
    </message>
    <message>
        <source>TLS done at %1 ms</source>
        <translation>TLS établi à %1 ms</translation>
    </message>
    <message>
        <source>first byte at %1 ms</source>
        <translation>premier octet à %1 ms</translation>
    </message>
    <message>
        <source>total %1 ms</source>
        <translation>total %1 ms</translation>
    </message>
</context>
<context>
    <name>hookline::AuditDialog</name>
    <message>
        <source>Audit log</source>
        <translation>Journal d’audit</translation>
    </message>
    <message>
        <source>Audit log entries</source>
        <translation>Entrées du journal d’audit</translation>
    </message>
    <message>
        <source>Filter: a webhook id, a user, an action…</source>
        <translation>Filtrer&#xa0;: un identifiant de webhook, un utilisateur, une action…</translation>
    </message>
    <message>
        <source>Filter the audit log</source>
        <translation>Filtrer le journal d’audit</translation>
    </message>
    <message>
        <source>Audit log status</source>
        <translation>État du journal d’audit</translation>
    </message>
    <message>
        <source>&amp;Filter:</source>
        <translation>&amp;Filtrer&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>Ac&amp;tualiser</translation>
    </message>
    <message>
        <source>Refresh the audit log</source>
        <translation>Actualiser le journal d’audit</translation>
    </message>
    <message>
        <source>Reading the audit log…</source>
        <translation>Lecture du journal d’audit…</translation>
    </message>
    <message>
        <source>The newest %1 changes.</source>
        <translation>Les %1 modifications les plus récentes.</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s).</source>
        <translation>
            <numerusform>%n modification.</numerusform>
            <numerusform>%n modifications.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>hookline::AuditModel</name>
    <message>
        <source>(default)</source>
        <translation>(par défaut)</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>oui</translation>
    </message>
    <message>
        <source>no</source>
        <translation>non</translation>
    </message>
    <message>
        <source>%1: %2 → %3</source>
        <translation>%1&#xa0;: %2 → %3</translation>
    </message>
    <message>
        <source>%1 was %2</source>
        <translation>%1 valait %2</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Quand</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Qui</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Object</source>
        <translation>Objet</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>Modifications</translation>
    </message>
</context>
<context>
    <name>hookline::CaCertificates</name>
    <message>
        <source>%1: %2</source>
        <translation>%1&#xa0;: %2</translation>
    </message>
    <message>
        <source>no such file</source>
        <translation>fichier inexistant</translation>
    </message>
    <message>
        <source>not a file</source>
        <translation>ce n’est pas un fichier</translation>
    </message>
    <message>
        <source>%1 bytes, more than a CA file holds (at most 16 MB)</source>
        <translation>%1 octets, plus que n’en contient un fichier CA (16 Mo au maximum)</translation>
    </message>
    <message>
        <source>cannot be read: %1</source>
        <translation>lecture impossible&#xa0;: %1</translation>
    </message>
    <message>
        <source>the file is empty</source>
        <translation>le fichier est vide</translation>
    </message>
    <message>
        <source>holds a private key (%1), which has no place in a CA file; give a file of CA certificates only</source>
        <translation>contient une clé privée (%1), qui n’a pas sa place dans un fichier CA&#xa0;; fournissez un fichier ne contenant que des certificats CA</translation>
    </message>
    <message>
        <source>holds no certificate, only PEM blocks of other kinds (%1)</source>
        <translation>ne contient aucun certificat, seulement des blocs PEM d’autres types (%1)</translation>
    </message>
    <message>
        <source>holds a certificate in DER form; give it in PEM form (openssl x509 -inform der -in %1 -out ca.pem)</source>
        <translation>contient un certificat au format DER&#xa0;; fournissez-le au format PEM (openssl x509 -inform der -in %1 -out ca.pem)</translation>
    </message>
    <message>
        <source>holds no certificate: expected PEM text with -----BEGIN CERTIFICATE----- blocks</source>
        <translation>ne contient aucun certificat&#xa0;: texte PEM attendu, avec des blocs -----BEGIN CERTIFICATE-----</translation>
    </message>
</context>
<context>
    <name>hookline::CatalogDialog</name>
    <message>
        <source>Event catalog</source>
        <translation>Catalogue d’événements</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Groupe</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>Event types</source>
        <translation>Types d’événements</translation>
    </message>
    <message>
        <source>Event type name</source>
        <translation>Nom du type d’événement</translation>
    </message>
    <message>
        <source>Event type description</source>
        <translation>Description du type d’événement</translation>
    </message>
    <message>
        <source>Sample payload</source>
        <translation>Charge utile d’exemple</translation>
    </message>
    <message>
        <source>Catalog message</source>
        <translation>Message du catalogue</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nom&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation>&amp;Description&#xa0;:</translation>
    </message>
    <message>
        <source>Sample &amp;payload:</source>
        <translation>&amp;Charge utile d’exemple&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Save type</source>
        <translation>&amp;Enregistrer le type</translation>
    </message>
    <message>
        <source>De&amp;lete type</source>
        <translation>&amp;Supprimer le type</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>&amp;Importer…</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>E&amp;xporter…</translation>
    </message>
    <message>
        <source>%1 saved.</source>
        <translation>%1 enregistré.</translation>
    </message>
    <message>
        <source>Delete event type</source>
        <translation>Supprimer le type d’événement</translation>
    </message>
    <message>
        <source>Delete %1 from the catalog?</source>
        <translation>Supprimer %1 du catalogue&#xa0;?</translation>
    </message>
    <message>
        <source>%1 deleted.</source>
        <translation>%1 supprimé.</translation>
    </message>
    <message>
        <source>Import catalog</source>
        <translation>Importer un catalogue</translation>
    </message>
    <message>
        <source>JSON files (*.json);;All files (*)</source>
        <translation>Fichiers JSON (*.json);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>Impossible de lire %1: %2</translation>
    </message>
    <message>
        <source>Nothing imported: %1</source>
        <translation>Rien n’a été importé&#xa0;: %1</translation>
    </message>
    <message>
        <source>%1 added, %2 updated, %3 unchanged.</source>
        <translation>%1 ajoutés, %2 mis à jour, %3 inchangés.</translation>
    </message>
    <message>
        <source>Export catalog</source>
        <translation>Exporter le catalogue</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>Fichiers JSON (*.json)</translation>
    </message>
    <message>
        <source>Exported to %1.</source>
        <translation>Exporté vers %1.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Impossible d’écrire %1: %2</translation>
    </message>
    <message>
        <source>New t&amp;ype</source>
        <translation>Nouveau t&amp;ype</translation>
    </message>
</context>
<context>
    <name>hookline::CatalogService</name>
    <message>
        <source>&quot;%1&quot; is not a valid event type name (lowercase words separated by dots, like lead.created)</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas un nom de type d’événement valide (mots en minuscules séparés par des points, comme lead.created)</translation>
    </message>
    <message>
        <source>&quot;%1&quot; must be &quot;%2&quot;, the part of %3 before the first dot</source>
        <translation>«&#xa0;%1&#xa0;» doit être «&#xa0;%2&#xa0;», la partie de %3 avant le premier point</translation>
    </message>
    <message>
        <source>of %1 is longer than 1000 characters</source>
        <translation>de %1 dépasse 1000 caractères</translation>
    </message>
    <message>
        <source>of %1: %2</source>
        <translation>de %1: %2</translation>
    </message>
    <message>
        <source>of %1 is larger than 64 KB</source>
        <translation>de %1 dépasse 64 Ko</translation>
    </message>
    <message>
        <source>not valid JSON: %1</source>
        <translation>JSON non valide&#xa0;: %1</translation>
    </message>
    <message>
        <source>expected a JSON object</source>
        <translation>un objet JSON est attendu</translation>
    </message>
    <message>
        <source>unknown format %1 (expected &quot;%2&quot;)</source>
        <translation>format %1 inconnu (&quot;%2&quot; attendu)</translation>
    </message>
    <message>
        <source>&quot;catalog&quot; must be a non-empty string</source>
        <translation>&quot;catalog&quot; doit être une chaîne non vide</translation>
    </message>
    <message>
        <source>missing the &quot;eventTypes&quot; array</source>
        <translation>le tableau &quot;eventTypes&quot; est absent</translation>
    </message>
    <message>
        <source>&quot;eventTypes&quot; must be an array</source>
        <translation>&quot;eventTypes&quot; doit être un tableau</translation>
    </message>
    <message>
        <source>%1 must be an object</source>
        <translation>%1 doit être un objet</translation>
    </message>
    <message>
        <source>%1 has no &quot;name&quot; string</source>
        <translation>%1 n’a pas de chaîne &quot;name&quot;</translation>
    </message>
    <message>
        <source>%1 (%2): &quot;group&quot; must be a string</source>
        <translation>%1 (%2)&#xa0;: &quot;group&quot; doit être une chaîne</translation>
    </message>
    <message>
        <source>%1 (%2): &quot;catalog&quot; must be a non-empty string</source>
        <translation>%1 (%2)&#xa0;: &quot;catalog&quot; doit être une chaîne non vide</translation>
    </message>
    <message>
        <source>%1 (%2): &quot;description&quot; must be a string</source>
        <translation>%1 (%2)&#xa0;: &quot;description&quot; doit être une chaîne</translation>
    </message>
    <message>
        <source>%1 (%2): &quot;samplePayload&quot; must be an object</source>
        <translation>%1 (%2)&#xa0;: &quot;samplePayload&quot; doit être un objet</translation>
    </message>
    <message>
        <source>%1: %2 is listed twice</source>
        <translation>%1: %2 figure deux fois</translation>
    </message>
    <message>
        <source>%1: %2 is built into Hookline and cannot be imported</source>
        <translation>%1: %2 est intégré à Hookline et ne peut pas être importé</translation>
    </message>
    <message>
        <source>no built-in catalog &quot;%1&quot; (known: %2)</source>
        <translation>aucun catalogue intégré «&#xa0;%1&#xa0;» (connus&#xa0;: %2)</translation>
    </message>
    <message>
        <source>%1 is built into Hookline</source>
        <translation>%1 est intégré à Hookline</translation>
    </message>
    <message>
        <source>%1 is built into Hookline and cannot be deleted</source>
        <translation>%1 est intégré à Hookline et ne peut pas être supprimé</translation>
    </message>
    <message>
        <source>no event type &quot;%1&quot;</source>
        <translation>aucun type d’événement «&#xa0;%1&#xa0;»</translation>
    </message>
</context>
<context>
    <name>hookline::Database</name>
    <message>
        <source>%1 is a directory, not a database file</source>
        <translation>%1 est un dossier, pas un fichier de base de données</translation>
    </message>
    <message>
        <source>cannot open %1: %2</source>
        <translation>impossible d’ouvrir %1: %2</translation>
    </message>
    <message>
        <source>%1 is not a Hookline database: %2</source>
        <translation>%1 n’est pas une base de données Hookline&#xa0;: %2</translation>
    </message>
    <message>
        <source>reading the journal mode</source>
        <translation>lecture du mode de journalisation</translation>
    </message>
    <message>
        <source>enabling WAL</source>
        <translation>activation du mode WAL</translation>
    </message>
    <message>
        <source>configuring the connection</source>
        <translation>configuration de la connexion</translation>
    </message>
    <message>
        <source>invalid PostgreSQL URL: %1 (expected postgresql://user:password@host:port/dbname)</source>
        <translation>URL PostgreSQL invalide&#xa0;: %1 (attendu&#xa0;: postgresql://utilisateur:mot-de-passe@hôte:port/base)</translation>
    </message>
    <message>
        <source>no host</source>
        <translation>pas d’hôte</translation>
    </message>
    <message>
        <source>port 0</source>
        <translation>port 0</translation>
    </message>
    <message>
        <source>no database name after the host</source>
        <translation>pas de nom de base après l’hôte</translation>
    </message>
    <message>
        <source>schema must be a lower-case identifier: %1</source>
        <translation>le schéma doit être un identifiant en minuscules&#xa0;: %1</translation>
    </message>
    <message>
        <source>%1 may not contain spaces or &apos;;&apos;</source>
        <translation>%1 ne peut contenir ni espace ni «&#xa0;;&#xa0;»</translation>
    </message>
    <message>
        <source>unknown parameter %1 (known: schema, %2)</source>
        <translation>paramètre inconnu %1 (connus&#xa0;: schema, %2)</translation>
    </message>
    <message>
        <source>choosing the schema</source>
        <translation>choix du schéma</translation>
    </message>
    <message>
        <source>the master key is not loaded</source>
        <translation>la clé maîtresse n’est pas chargée</translation>
    </message>
    <message>
        <source>the master key was not found; looked in: %1</source>
        <translation>la clé maîtresse est introuvable&#xa0;; emplacements consultés&#xa0;: %1</translation>
    </message>
    <message>
        <source>the master key comes from %1, which Hookline cannot change; run again with --print-new-key and set the variable to the key it prints</source>
        <translation>la clé maîtresse provient de %1, que Hookline ne peut pas modifier&#xa0;; relancez avec --print-new-key et donnez à la variable la valeur de la clé affichée</translation>
    </message>
    <message>
        <source>the system&apos;s random number generator failed; nothing was changed</source>
        <translation>le générateur de nombres aléatoires du système a échoué&#xa0;; rien n’a été modifié</translation>
    </message>
    <message>
        <source>reading the secrets</source>
        <translation>lecture des secrets</translation>
    </message>
    <message>
        <source>secret %1 does not open with the current master key; nothing was changed</source>
        <translation>le secret %1 ne s’ouvre pas avec la clé maîtresse actuelle&#xa0;; rien n’a été modifié</translation>
    </message>
    <message>
        <source>saving the master key&apos;s probe</source>
        <translation>enregistrement du témoin de la clé maîtresse</translation>
    </message>
    <message>
        <source>the secrets are encrypted under the new key, but it could not replace the old one: %1; it is kept beside it, and the next start finishes the change</source>
        <translation>les secrets sont chiffrés avec la nouvelle clé, mais celle-ci n’a pas pu remplacer l’ancienne&#xa0;: %1&#xa0;; elle est conservée à côté, et le prochain démarrage achèvera le changement</translation>
    </message>
    <message numerus="yes">
        <source>%n webhook secret(s) re-encrypted under a new master key (fingerprint %1)</source>
        <translation>
            <numerusform>%n secret de webhook rechiffré avec une nouvelle clé maîtresse (empreinte %1)</numerusform>
            <numerusform>%n secrets de webhook rechiffrés avec une nouvelle clé maîtresse (empreinte %1)</numerusform>
        </translation>
    </message>
    <message>
        <source>the master key from %1 is not 32 bytes</source>
        <translation>la clé maîtresse provenant de %1 ne fait pas 32 octets</translation>
    </message>
    <message>
        <source>reading the master key&apos;s probe</source>
        <translation>lecture du témoin de la clé maîtresse</translation>
    </message>
    <message>
        <source>the webhook secrets are encrypted, and their master key was not found; looked in: %1</source>
        <translation>les secrets des webhooks sont chiffrés, et leur clé maîtresse est introuvable&#xa0;; emplacements consultés&#xa0;: %1</translation>
    </message>
    <message>
        <source>the master key from %1 (fingerprint %2) is not the one the webhook secrets were encrypted with (fingerprint %3); nothing was read or changed</source>
        <translation>la clé maîtresse provenant de %1 (empreinte %2) n’est pas celle avec laquelle les secrets des webhooks ont été chiffrés (empreinte %3)&#xa0;; rien n’a été lu ni modifié</translation>
    </message>
    <message>
        <source>a new master key for the webhook secrets of %1: %2</source>
        <translation>une nouvelle clé maîtresse pour les secrets des webhooks de %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>encrypting the secrets</source>
        <translation>chiffrement des secrets</translation>
    </message>
    <message>
        <source>writing the log back</source>
        <translation>report du journal dans la base de données</translation>
    </message>
    <message numerus="yes">
        <source>%n webhook secret(s) of %1 encrypted under the master key from %2</source>
        <translation>
            <numerusform>%n secret de webhook de %1 chiffré avec la clé maîtresse provenant de %2</numerusform>
            <numerusform>%n secrets de webhook de %1 chiffrés avec la clé maîtresse provenant de %2</numerusform>
        </translation>
    </message>
    <message>
        <source>encrypting a secret failed; nothing was changed</source>
        <translation>le chiffrement d’un secret a échoué&#xa0;; rien n’a été modifié</translation>
    </message>
</context>
<context>
    <name>hookline::DatabaseTransfer</name>
    <message>
        <source>looking for a running engine</source>
        <translation>recherche d’un moteur en marche</translation>
    </message>
    <message>
        <source>an engine is delivering from this database (%1 deliveries leased): stop hookline-cli deliver or serve, and the windows, first</source>
        <translation>un moteur livre depuis cette base (%1 livraisons réservées)&#xa0;: arrêtez d’abord hookline-cli deliver ou serve, et les fenêtres</translation>
    </message>
    <message>
        <source>reading the master key&apos;s fingerprint</source>
        <translation>lecture de l’empreinte de la clé maîtresse</translation>
    </message>
    <message>
        <source>the copy of %1 differs from its source (%2 rows, checksum %3; copied %4 rows, checksum %5): nothing was changed</source>
        <translation>la copie de %1 diffère de sa source (%2 lignes, somme de contrôle %3&#xa0;; copiées&#xa0;: %4 lignes, somme de contrôle %5)&#xa0;: rien n’a été modifié</translation>
    </message>
    <message>
        <source>checking %1</source>
        <translation>vérification de %1</translation>
    </message>
    <message>
        <source>%1 is not a SQLite database: %2</source>
        <translation>%1 n’est pas une base SQLite&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1 is damaged: %2</source>
        <translation>%1 est endommagé&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1 is not a Hookline database</source>
        <translation>%1 n’est pas une base Hookline</translation>
    </message>
    <message>
        <source>backup copies a SQLite database; back up PostgreSQL with pg_dump (README.md, Backup and restore)</source>
        <translation>backup copie une base SQLite&#xa0;; sauvegardez PostgreSQL avec pg_dump (README.md, Backup and restore)</translation>
    </message>
    <message>
        <source>give the backup&apos;s file name</source>
        <translation>indiquez le nom du fichier de sauvegarde</translation>
    </message>
    <message>
        <source>%1 exists already: a backup never overwrites a file</source>
        <translation>%1 existe déjà&#xa0;: une sauvegarde n’écrase jamais un fichier</translation>
    </message>
    <message>
        <source>copying the database into %1</source>
        <translation>copie de la base dans %1</translation>
    </message>
    <message>
        <source>restore puts back a SQLite backup; restore PostgreSQL with pg_restore (README.md, Backup and restore)</source>
        <translation>restore remet une sauvegarde SQLite&#xa0;; restaurez PostgreSQL avec pg_restore (README.md, Backup and restore)</translation>
    </message>
    <message>
        <source>%1 was made by a newer Hookline (schema version %2; this one knows up to %3): restore it with that version</source>
        <translation>%1 a été écrit par un Hookline plus récent (schéma %2&#xa0;; celui-ci connaît jusqu’à %3)&#xa0;: restaurez-le avec cette version</translation>
    </message>
    <message>
        <source>%1 records no master key, so its secrets could not be read here</source>
        <translation>%1 n’enregistre aucune clé maîtresse&#xa0;: ses secrets ne pourraient pas être lus ici</translation>
    </message>
    <message>
        <source>%1&apos;s secrets are sealed with another master key (fingerprint %2; this installation&apos;s is %3): restore it where HOOKLINE_MASTER_KEY holds that key</source>
        <translation>les secrets de %1 sont scellés avec une autre clé maîtresse (empreinte %2&#xa0;; celle de cette installation&#xa0;: %3)&#xa0;: restaurez-le avec cette clé dans HOOKLINE_MASTER_KEY</translation>
    </message>
    <message>
        <source>cannot copy %1 to %2 to upgrade it</source>
        <translation>impossible de copier %1 vers %2 pour le mettre à jour</translation>
    </message>
    <message>
        <source>opening %1</source>
        <translation>ouverture de %1</translation>
    </message>
    <message>
        <source>db copy moves a SQLite installation; this one is on PostgreSQL already</source>
        <translation>db copy déplace une installation SQLite&#xa0;; celle-ci est déjà sur PostgreSQL</translation>
    </message>
    <message>
        <source>expected a postgresql:// URL</source>
        <translation>une URL postgresql:// est attendue</translation>
    </message>
    <message>
        <source>the master key of this installation was not found</source>
        <translation>la clé maîtresse de cette installation est introuvable</translation>
    </message>
    <message>
        <source>%1 already has another master key (%2): the copied secrets could not be read there</source>
        <translation>%1 a déjà une autre clé maîtresse (%2)&#xa0;: les secrets copiés n’y seraient pas lisibles</translation>
    </message>
    <message>
        <source>looking at the target schema</source>
        <translation>examen du schéma cible</translation>
    </message>
    <message>
        <source>%1 is not empty (%2 tables): db copy only writes into an empty schema</source>
        <translation>%1 n’est pas vide (%2 tables)&#xa0;: db copy n’écrit que dans un schéma vide</translation>
    </message>
    <message>
        <source>the data was copied, but its master key could not be kept for it (%1): open it with HOOKLINE_MASTER_KEY set to this installation&apos;s key</source>
        <translation>les données ont été copiées, mais leur clé maîtresse n’a pas pu être conservée pour elles (%1)&#xa0;: ouvrez-les avec la clé de cette installation dans HOOKLINE_MASTER_KEY</translation>
    </message>
</context>
<context>
    <name>hookline::DeliveryChart</name>
    <message>
        <source>Last 24 hours</source>
        <translation>Dernières 24 heures</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>30 derniers jours</translation>
    </message>
    <message>
        <source>Chart range</source>
        <translation>Période du graphique</translation>
    </message>
    <message>
        <source>Deliveries over time</source>
        <translation>Livraisons dans le temps</translation>
    </message>
    <message>
        <source>Succeeded and failed deliveries per period, stacked</source>
        <translation>Livraisons réussies et échouées par période, empilées</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Réussies</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échouées</translation>
    </message>
    <message>
        <source>All webhooks</source>
        <translation>Tous les webhooks</translation>
    </message>
    <message>
        <source>This webhook</source>
        <translation>Ce webhook</translation>
    </message>
    <message>
        <source>Deliveries</source>
        <translation>Livraisons</translation>
    </message>
    <message>
        <source>&amp;All webhooks</source>
        <translation>&amp;Tous les webhooks</translation>
    </message>
    <message>
        <source>Chart all webhooks</source>
        <translation>Graphique de tous les webhooks</translation>
    </message>
    <message>
        <source>Ra&amp;nge:</source>
        <translation>Pé&amp;riode&#xa0;:</translation>
    </message>
    <message>
        <source>Hour of day</source>
        <translation>Heure de la journée</translation>
    </message>
    <message>
        <source>Day of month</source>
        <translation>Jour du mois</translation>
    </message>
    <message>
        <source>Last 24 hours: %1 succeeded, %2 failed; the busiest hour had %3.</source>
        <translation>Dernières 24 heures&#xa0;: %1 réussies, %2 échouées&#xa0;; l’heure la plus chargée en a compté %3.</translation>
    </message>
    <message>
        <source>Last 30 days: %1 succeeded, %2 failed; the busiest day had %3.</source>
        <translation>30 derniers jours&#xa0;: %1 réussies, %2 échouées&#xa0;; le jour le plus chargé en a compté %3.</translation>
    </message>
</context>
<context>
    <name>hookline::DeliveryHistoryModel</name>
    <message>
        <source>Loading…</source>
        <translation>Chargement…</translation>
    </message>
    <message>
        <source>error</source>
        <translation>erreur</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Événement</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Tentatives</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>Réponse</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Durée</translation>
    </message>
    <message>
        <source>Webhook</source>
        <translation>Webhook</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>Livraison</translation>
    </message>
</context>
<context>
    <name>hookline::DeliveryQueue</name>
    <message>
        <source>recovering expired leases</source>
        <translation>récupération des réservations expirées</translation>
    </message>
    <message>
        <source>claiming due deliveries</source>
        <translation>réservation des livraisons échues</translation>
    </message>
    <message>
        <source>claiming a delivery</source>
        <translation>réservation d’une livraison</translation>
    </message>
    <message>
        <source>reading event bodies</source>
        <translation>lecture des corps d’événements</translation>
    </message>
    <message>
        <source>recording an attempt</source>
        <translation>enregistrement d’une tentative</translation>
    </message>
    <message>
        <source>recording a delivery&apos;s state</source>
        <translation>enregistrement de l’état d’une livraison</translation>
    </message>
    <message>
        <source>counting failures</source>
        <translation>décompte des échecs</translation>
    </message>
    <message>
        <source>deactivating a webhook</source>
        <translation>désactivation d’un webhook</translation>
    </message>
    <message>
        <source>handing deliveries back</source>
        <translation>restitution des livraisons</translation>
    </message>
    <message>
        <source>reading the next due time</source>
        <translation>lecture de la prochaine échéance</translation>
    </message>
    <message>
        <source>counting unfinished deliveries</source>
        <translation>décompte des livraisons non terminées</translation>
    </message>
    <message>
        <source>queueing a replay</source>
        <translation>mise en file d’un nouvel envoi</translation>
    </message>
    <message>
        <source>finding deliveries to replay</source>
        <translation>recherche des livraisons à renvoyer</translation>
    </message>
    <message>
        <source>finding the retention cut-off</source>
        <translation>recherche du seuil de conservation</translation>
    </message>
    <message>
        <source>finding old deliveries</source>
        <translation>recherche des anciennes livraisons</translation>
    </message>
    <message>
        <source>deleting old deliveries</source>
        <translation>suppression des anciennes livraisons</translation>
    </message>
    <message>
        <source>deleting events without deliveries</source>
        <translation>suppression des événements sans livraison</translation>
    </message>
    <message>
        <source>reading due deliveries</source>
        <translation>lecture des livraisons échues</translation>
    </message>
    <message>
        <source>reading who holds leases</source>
        <translation>lecture des détenteurs de réservations</translation>
    </message>
    <message>
        <source>taking back a stopped process&apos;s leases</source>
        <translation>reprise des réservations d’un processus arrêté</translation>
    </message>
    <message>
        <source>counting a webhook&apos;s deliveries</source>
        <translation>décompte des livraisons d’un webhook</translation>
    </message>
    <message>
        <source>reading the file&apos;s page counts</source>
        <translation>lecture du nombre de pages du fichier</translation>
    </message>
    <message>
        <source>reading the file&apos;s page size</source>
        <translation>lecture de la taille de page du fichier</translation>
    </message>
    <message>
        <source>turning incremental vacuum on</source>
        <translation>activation du vacuum incrémental</translation>
    </message>
    <message>
        <source>rewriting the database file</source>
        <translation>réécriture du fichier de base de données</translation>
    </message>
    <message>
        <source>reading the vacuum mode</source>
        <translation>lecture du mode de vacuum</translation>
    </message>
    <message>
        <source>giving free pages back</source>
        <translation>restitution des pages libres</translation>
    </message>
    <message>
        <source>putting claimed deliveries back in line</source>
        <translation>remise en file des livraisons réservées</translation>
    </message>
</context>
<context>
    <name>hookline::DeliveryService</name>
    <message>
        <source>a page holds at least one delivery</source>
        <translation>une page contient au moins une livraison</translation>
    </message>
    <message>
        <source>the offset cannot be negative</source>
        <translation>le décalage ne peut pas être négatif</translation>
    </message>
    <message>
        <source>continue after a delivery or skip an offset, not both</source>
        <translation>reprendre après une livraison ou sauter un décalage, pas les deux</translation>
    </message>
    <message>
        <source>no delivery with id &quot;%1&quot;</source>
        <translation>aucune livraison d’identifiant «&#xa0;%1&#xa0;»</translation>
    </message>
    <message>
        <source>the event of delivery %1 is no longer kept</source>
        <translation>l’événement de la livraison %1 n’est plus conservé</translation>
    </message>
    <message>
        <source>delivery %1 has no attempt yet</source>
        <translation>la livraison %1 n’a encore aucune tentative</translation>
    </message>
    <message>
        <source>a bucket lasts at least one second</source>
        <translation>un intervalle dure au moins une seconde</translation>
    </message>
    <message>
        <source>delivery %1 is being delivered right now</source>
        <translation>la livraison %1 est en cours d’envoi</translation>
    </message>
    <message>
        <source>only finished deliveries are replayed: succeeded or failed, not %1</source>
        <translation>seules les livraisons terminées (réussies ou échouées) sont renvoyées, pas %1</translation>
    </message>
</context>
<context>
    <name>hookline::DeliveryStore</name>
    <message>
        <source>reading the delivery history</source>
        <translation>lecture de l’historique des livraisons</translation>
    </message>
    <message>
        <source>counting deliveries</source>
        <translation>décompte des livraisons</translation>
    </message>
    <message>
        <source>reading a delivery</source>
        <translation>lecture d’une livraison</translation>
    </message>
    <message>
        <source>reading attempts</source>
        <translation>lecture des tentatives</translation>
    </message>
    <message>
        <source>reading the last delivery</source>
        <translation>lecture de la dernière livraison</translation>
    </message>
    <message>
        <source>counting recent deliveries</source>
        <translation>décompte des livraisons récentes</translation>
    </message>
    <message>
        <source>reading delivery counts</source>
        <translation>lecture du nombre de livraisons</translation>
    </message>
    <message>
        <source>delivery %1 has the unknown status &quot;%2&quot; in the database</source>
        <translation>la livraison %1 a le statut inconnu «&#xa0;%2&#xa0;» dans la base de données</translation>
    </message>
    <message>
        <source>a delivery of webhook %1 has the unknown status &quot;%2&quot; in the database</source>
        <translation>une livraison du webhook %1 a le statut inconnu «&#xa0;%2&#xa0;» dans la base de données</translation>
    </message>
    <message>
        <source>reading the delivery to continue after</source>
        <translation>lecture de la livraison après laquelle reprendre</translation>
    </message>
    <message>
        <source>no delivery with id &quot;%1&quot; to continue after</source>
        <translation>aucune livraison d’identifiant «&#xa0;%1&#xa0;» après laquelle reprendre</translation>
    </message>
    <message>
        <source>finding the oldest due delivery</source>
        <translation>recherche de la plus ancienne livraison due</translation>
    </message>
</context>
<context>
    <name>hookline::DeliveryWorker</name>
    <message>
        <source>extraCaCertificates: %1</source>
        <translation>extraCaCertificates&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>hookline::DurationEdit</name>
    <message numerus="yes">
        <source>seconds</source>
        <comment>duration unit</comment>
        <translation>
            <numerusform>seconde</numerusform>
            <numerusform>secondes</numerusform>
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
            <numerusform>heure</numerusform>
            <numerusform>heures</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>days</source>
        <comment>duration unit</comment>
        <translation>
            <numerusform>jour</numerusform>
            <numerusform>jours</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>hookline::EmptyStatePane</name>
    <message>
        <source>Create a &amp;webhook</source>
        <translation>&amp;Créer un webhook</translation>
    </message>
    <message>
        <source>No webhooks yet</source>
        <translation>Aucun webhook pour l’instant</translation>
    </message>
    <message>
        <source>A webhook sends the events you choose to a URL of yours, signed so that the receiver can check they come from you, and retried until it answers.</source>
        <translation>Un webhook envoie les événements de votre choix à une URL qui vous appartient, signés pour que le destinataire puisse vérifier qu’ils viennent de vous, et relancés jusqu’à ce qu’il réponde.</translation>
    </message>
    <message>
        <source>Give it the receiver&apos;s URL, pick the events, save: the receiver gets the signing secret from the Secret tab, and Send test ping (Ctrl+T) checks the whole path.</source>
        <translation>Indiquez l’URL du destinataire, choisissez les événements, enregistrez&#xa0;: le destinataire obtient le secret de signature dans l’onglet Secret, et Envoyer un ping de test (Ctrl+T) vérifie toute la chaîne.</translation>
    </message>
    <message>
        <source>Create a webhook</source>
        <translation>Créer un webhook</translation>
    </message>
</context>
<context>
    <name>hookline::EventService</name>
    <message>
        <source>%1 MB</source>
        <extracomment>A size in megabytes (MB).</extracomment>
        <translation>%1 Mo</translation>
    </message>
    <message>
        <source>unknown event type &quot;%1&quot; (see event-types list)</source>
        <translation>type d’événement «&#xa0;%1&#xa0;» inconnu (voir event-types list)</translation>
    </message>
    <message>
        <source>no tenant &quot;%1&quot;</source>
        <translation>aucun locataire «&#xa0;%1&#xa0;»</translation>
    </message>
    <message>
        <source>the event data is %1, over the 1 MB limit</source>
        <translation>les données de l’événement font %1, au-delà de la limite de 1 Mo</translation>
    </message>
    <message>
        <source>invalid JSON: %1</source>
        <translation>JSON non valide&#xa0;: %1</translation>
    </message>
    <message>
        <source>the event body would be %1, over the 1 MB limit</source>
        <translation>le corps de l’événement ferait %1, au-delà de la limite de 1 Mo</translation>
    </message>
    <message>
        <source>no webhook with id &quot;%1&quot;</source>
        <translation>aucun webhook avec l’identifiant «&#xa0;%1&#xa0;»</translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>ligne %1: %2</translation>
    </message>
    <message>
        <source>&quot;event&quot; must be an event type name</source>
        <translation>&quot;event&quot; doit être un nom de type d’événement</translation>
    </message>
    <message>
        <source>&quot;tenant&quot; must be a string</source>
        <translation>&quot;tenant&quot; doit être une chaîne</translation>
    </message>
    <message>
        <source>unknown field &quot;%1&quot; (expected event, data, tenant)</source>
        <translation>champ «&#xa0;%1&#xa0;» inconnu (attendus&#xa0;: event, data, tenant)</translation>
    </message>
    <message>
        <source>the file holds no event</source>
        <translation>le fichier ne contient aucun événement</translation>
    </message>
    <message>
        <source>longer than %1 MB</source>
        <translation>dépasse %1 Mo</translation>
    </message>
    <message>
        <source>reading the batch: %1</source>
        <translation>lecture du lot&#xa0;: %1</translation>
    </message>
    <message>
        <source>no event to record</source>
        <translation>aucun événement à enregistrer</translation>
    </message>
    <message>
        <source>%1 events in one request; at most %2</source>
        <translation>%1 événements dans une requête&#xa0;; %2 au plus</translation>
    </message>
    <message>
        <source>the idempotency key &quot;%1&quot; was used for another request in the last 24 hours</source>
        <translation>la clé d’idempotence «&#xa0;%1&#xa0;» a servi à une autre requête dans les dernières 24 heures</translation>
    </message>
    <message>
        <source>%1 is an operational event: only Hookline sends it</source>
        <translation>%1 est un événement opérationnel&#xa0;: seul Hookline l’envoie</translation>
    </message>
</context>
<context>
    <name>hookline::EventStore</name>
    <message>
        <source>reading subscriptions</source>
        <translation>lecture des abonnements</translation>
    </message>
    <message>
        <source>recording an event</source>
        <translation>enregistrement d’un événement</translation>
    </message>
    <message>
        <source>recording a delivery</source>
        <translation>enregistrement d’une livraison</translation>
    </message>
    <message>
        <source>reading an event</source>
        <translation>lecture d’un événement</translation>
    </message>
</context>
<context>
    <name>hookline::EventTypeStore</name>
    <message>
        <source>listing event types</source>
        <translation>liste des types d’événements</translation>
    </message>
    <message>
        <source>reading an event type</source>
        <translation>lecture d’un type d’événement</translation>
    </message>
    <message>
        <source>saving an event type</source>
        <translation>enregistrement d’un type d’événement</translation>
    </message>
    <message>
        <source>deleting an event type</source>
        <translation>suppression d’un type d’événement</translation>
    </message>
</context>
<context>
    <name>hookline::EventTypeTree</name>
    <message>
        <source>All events</source>
        <translation>Tous les événements</translation>
    </message>
    <message>
        <source>Subscribe to every event type, including types added to the catalog later</source>
        <translation>S’abonner à tous les types d’événements, y compris ceux ajoutés plus tard au catalogue</translation>
    </message>
    <message>
        <source>Event types</source>
        <translation>Types d’événements</translation>
    </message>
    <message>
        <source>Check the event types this webhook receives; a checked group means all of that group</source>
        <translation>Cochez les types d’événements que reçoit ce webhook&#xa0;; un groupe coché inclut tout ce groupe</translation>
    </message>
    <message>
        <source>Checked: every %1 event, including types added later (%1.*)</source>
        <translation>Coché&#xa0;: tous les événements %1, y compris les types ajoutés plus tard (%1.*)</translation>
    </message>
    <message>
        <source>All events (*), &amp;including types added later</source>
        <translation>Tous les événements (*), y &amp;compris les types ajoutés plus tard</translation>
    </message>
    <message>
        <source>Group %1, all its events</source>
        <translation>Groupe %1, tous ses événements</translation>
    </message>
</context>
<context>
    <name>hookline::HeadersEditor</name>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <source>Custom headers</source>
        <translation>En-têtes personnalisés</translation>
    </message>
    <message>
        <source>Headers sent with every delivery, after Hookline&apos;s own</source>
        <translation>En-têtes envoyés avec chaque livraison, après ceux de Hookline</translation>
    </message>
    <message>
        <source>Custom header problem</source>
        <translation>Problème d’en-tête personnalisé</translation>
    </message>
    <message>
        <source>Remove header</source>
        <translation>Supprimer l’en-tête</translation>
    </message>
    <message>
        <source>Add header</source>
        <translation>Ajouter un en-tête</translation>
    </message>
    <message>
        <source>%1 is given twice</source>
        <translation>%1 figure deux fois</translation>
    </message>
</context>
<context>
    <name>hookline::HistoryView</name>
    <message>
        <source>All statuses</source>
        <translation>Tous les statuts</translation>
    </message>
    <message>
        <source>All events</source>
        <translation>Tous les événements</translation>
    </message>
    <message>
        <source>Status filter</source>
        <translation>Filtre de statut</translation>
    </message>
    <message>
        <source>Event type filter</source>
        <translation>Filtre de type d’événement</translation>
    </message>
    <message>
        <source>Filter from date</source>
        <translation>Filtrer à partir de la date</translation>
    </message>
    <message>
        <source>Filter to date</source>
        <translation>Filtrer jusqu’à la date</translation>
    </message>
    <message>
        <source>From date</source>
        <translation>Date de début</translation>
    </message>
    <message>
        <source>To date</source>
        <translation>Date de fin</translation>
    </message>
    <message>
        <source>Number of deliveries</source>
        <translation>Nombre de livraisons</translation>
    </message>
    <message>
        <source>History message</source>
        <translation>Message de l’historique</translation>
    </message>
    <message>
        <source>Delivery history</source>
        <translation>Historique des livraisons</translation>
    </message>
    <message>
        <source>Copy as c&amp;url</source>
        <translation>Copier en c&amp;url</translation>
    </message>
    <message>
        <source>Copy &amp;payload</source>
        <translation>Copier la &amp;charge utile</translation>
    </message>
    <message>
        <source>&amp;Details…</source>
        <translation>Dé&amp;tails…</translation>
    </message>
    <message>
        <source>Retry now</source>
        <translation>Réessayer maintenant</translation>
    </message>
    <message>
        <source>Copy as curl</source>
        <translation>Copier en curl</translation>
    </message>
    <message>
        <source>Copy payload</source>
        <translation>Copier la charge utile</translation>
    </message>
    <message>
        <source>Attempt details</source>
        <translation>Détails de la tentative</translation>
    </message>
    <message>
        <source>No attempt to copy yet.</source>
        <translation>Aucune tentative à copier pour l’instant.</translation>
    </message>
    <message>
        <source>The last attempt&apos;s request is on the clipboard as a curl command.</source>
        <translation>La requête de la dernière tentative est dans le presse-papiers sous forme de commande curl.</translation>
    </message>
    <message>
        <source>Payload copied.</source>
        <translation>Charge utile copiée.</translation>
    </message>
    <message>
        <source>Fro&amp;m</source>
        <translation>&amp;Du</translation>
    </message>
    <message>
        <source>T&amp;o</source>
        <translation>A&amp;u</translation>
    </message>
    <message>
        <source>St&amp;atus:</source>
        <translation>St&amp;atut&#xa0;:</translation>
    </message>
    <message>
        <source>E&amp;vent:</source>
        <translation>É&amp;vénement&#xa0;:</translation>
    </message>
    <message>
        <source>Retry &amp;now</source>
        <translation>Réessayer &amp;maintenant</translation>
    </message>
    <message numerus="yes">
        <source>%n deliveries</source>
        <translation>
            <numerusform>%n livraison</numerusform>
            <numerusform>%n livraisons</numerusform>
        </translation>
    </message>
    <message>
        <source>This delivery is being delivered right now.</source>
        <translation>Cette livraison est en cours d’envoi en ce moment.</translation>
    </message>
    <message>
        <source>Queued again: it is sent as soon as a worker is free.</source>
        <translation>Remise en file d’attente&#xa0;: elle est envoyée dès qu’un processus de livraison est libre.</translation>
    </message>
    <message>
        <source>Acts on the delivery selected in the table</source>
        <translation>Agit sur la livraison sélectionnée dans le tableau</translation>
    </message>
    <message>
        <source>The history could not be read: %1</source>
        <translation>L’historique n’a pas pu être lu&#xa0;: %1</translation>
    </message>
    <message>
        <source>Sent again: %1.</source>
        <translation>Envoyée de nouveau&#xa0;: %1.</translation>
    </message>
</context>
<context>
    <name>hookline::IdempotencyStore</name>
    <message>
        <source>reading an idempotency key</source>
        <translation>lecture d’une clé d’idempotence</translation>
    </message>
    <message>
        <source>replacing an idempotency key</source>
        <translation>remplacement d’une clé d’idempotence</translation>
    </message>
    <message>
        <source>keeping an idempotency key</source>
        <translation>conservation d’une clé d’idempotence</translation>
    </message>
    <message>
        <source>forgetting old idempotency keys</source>
        <translation>oubli des anciennes clés d’idempotence</translation>
    </message>
</context>
<context>
    <name>hookline::Inspector</name>
    <message>
        <source>the inspector listens on loopback only (127.0.0.1 or ::1), not on %1</source>
        <translation>l’inspecteur n’écoute qu’en boucle locale (127.0.0.1 ou ::1), pas sur %1</translation>
    </message>
    <message>
        <source>cannot listen on %1:%2: %3</source>
        <translation>impossible d’écouter sur %1:%2&#xa0;: %3</translation>
    </message>
</context>
<context>
    <name>hookline::InspectorDialog</name>
    <message>
        <source>&amp;Start</source>
        <translation>&amp;Démarrer</translation>
    </message>
    <message>
        <source>Copy &amp;URL</source>
        <translation>Copier l’&amp;URL</translation>
    </message>
    <message>
        <source>&amp;Drop the connection without answering</source>
        <translation>&amp;Couper la connexion sans répondre</translation>
    </message>
    <message>
        <source>Request inspector</source>
        <translation>Inspecteur de requêtes</translation>
    </message>
    <message>
        <source>any free port</source>
        <translation>un port libre</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Inspector address</source>
        <translation>Adresse de l’inspecteur</translation>
    </message>
    <message>
        <source>Not listening.</source>
        <translation>N’écoute pas.</translation>
    </message>
    <message>
        <source>Answer status</source>
        <translation>Statut de la réponse</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>Answer delay</source>
        <translation>Délai de la réponse</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Retry-After</source>
        <translation>Retry-After</translation>
    </message>
    <message>
        <source>No verification</source>
        <translation>Pas de vérification</translation>
    </message>
    <message>
        <source>Verify with the secrets of</source>
        <translation>Vérifier avec les secrets de</translation>
    </message>
    <message>
        <source>Requests received</source>
        <translation>Requêtes reçues</translation>
    </message>
    <message>
        <source>Request details</source>
        <translation>Détails de la requête</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>&amp;Port&#xa0;:</translation>
    </message>
    <message>
        <source>Answer &amp;with status:</source>
        <translation>Répondre a&amp;vec le statut&#xa0;:</translation>
    </message>
    <message>
        <source>A&amp;fter:</source>
        <translation>A&amp;près&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Retry-After:</source>
        <translation>&amp;Retry-After&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Verify with:</source>
        <translation>Vér&amp;ifier avec&#xa0;:</translation>
    </message>
    <message>
        <source>Listening on %1</source>
        <translation>À l’écoute sur %1</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>&amp;Arrêter</translation>
    </message>
    <message>
        <source>valid</source>
        <translation>valide</translation>
    </message>
    <message>
        <source>invalid</source>
        <translation>non valide</translation>
    </message>
    <message>
        <source>Signature: valid (%1)</source>
        <translation>Signature&#xa0;: valide (%1)</translation>
    </message>
    <message>
        <source>Signature: not valid for %1: %2</source>
        <translation>Signature&#xa0;: non valide pour %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>Mistake: %1</source>
        <translation>Erreur&#xa0;: %1</translation>
    </message>
    <message>
        <source>Fix: %1</source>
        <translation>Correction&#xa0;: %1</translation>
    </message>
    <message>
        <source>Body, pretty:</source>
        <translation>Corps, mis en forme&#xa0;:</translation>
    </message>
    <message numerus="yes">
        <source>Body, raw (%n bytes):</source>
        <translation>
            <numerusform>Corps, brut (%n octet)&#xa0;:</numerusform>
            <numerusform>Corps, brut (%n octets)&#xa0;:</numerusform>
        </translation>
    </message>
    <message>
        <source>Inspection note</source>
        <translation>Note d’inspection</translation>
    </message>
    <message>
        <source>Making a copy of the webhook that points here…</source>
        <translation>Création d’une copie du webhook qui pointe ici…</translation>
    </message>
    <message>
        <source>No copy was made: %1</source>
        <translation>Aucune copie n’a été créée&#xa0;: %1</translation>
    </message>
    <message>
        <source>“%1” is an inactive copy pointed here (the original is untouched); a test ping is on its way. Activate the copy to watch its real deliveries; delete it when done.</source>
        <translation>«&#xa0;%1&#xa0;» est une copie inactive qui pointe ici (l’original n’est pas modifié)&#xa0;; un ping de test est en route. Activez la copie pour observer ses vraies livraisons&#xa0;; supprimez-la ensuite.</translation>
    </message>
    <message>
        <source>The test ping was not sent: %1</source>
        <translation>Le ping de test n’a pas été envoyé&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>hookline::InspectorModel</name>
    <message>
        <source>dropped</source>
        <translation>coupée</translation>
    </message>
    <message>
        <source>#</source>
        <translation>n°</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Reçue</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Méthode</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Chemin</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>Réponse</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>Signature</translation>
    </message>
</context>
<context>
    <name>hookline::Installation</name>
    <message>
        <source>no built-in catalog &quot;%1&quot; (known: %2)</source>
        <translation>aucun catalogue intégré «&#xa0;%1&#xa0;» (connus&#xa0;: %2)</translation>
    </message>
    <message>
        <source>not a postgresql:// URL</source>
        <translation>pas une URL postgresql://</translation>
    </message>
    <message>
        <source>this session has no system keychain to keep the password in; leave it out of the URL and put it in ~/.pgpass</source>
        <translation>cette session n’a pas de trousseau de clés du système où garder le mot de passe&#xa0;; retirez-le de l’URL et mettez-le dans ~/.pgpass</translation>
    </message>
</context>
<context>
    <name>hookline::MainWindow</name>
    <message>
        <source>Hookline</source>
        <translation>Hookline</translation>
    </message>
    <message>
        <source>&amp;New webhook</source>
        <translation>&amp;Nouveau webhook</translation>
    </message>
    <message>
        <source>D&amp;uplicate</source>
        <translation>D&amp;upliquer</translation>
    </message>
    <message>
        <source>Ctrl+D</source>
        <translation>Ctrl+D</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>&amp;Supprimer…</translation>
    </message>
    <message>
        <source>&amp;Activate / deactivate</source>
        <translation>&amp;Activer / désactiver</translation>
    </message>
    <message>
        <source>Ctrl+Shift+A</source>
        <translation>Ctrl+Shift+A</translation>
    </message>
    <message>
        <source>Send &amp;test ping</source>
        <translation>Envoyer un &amp;ping de test</translation>
    </message>
    <message>
        <source>Ctrl+T</source>
        <translation>Ctrl+T</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>Ac&amp;tualiser</translation>
    </message>
    <message>
        <source>&amp;Pause delivery</source>
        <translation>&amp;Suspendre les livraisons</translation>
    </message>
    <message>
        <source>Ctrl+Shift+P</source>
        <translation>Ctrl+Shift+P</translation>
    </message>
    <message>
        <source>Send &amp;event…</source>
        <translation>&amp;Envoyer un événement…</translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <source>Event &amp;catalog…</source>
        <translation>&amp;Catalogue d’événements…</translation>
    </message>
    <message>
        <source>Ctrl+K</source>
        <translation>Ctrl+K</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Paramètres…</translation>
    </message>
    <message>
        <source>History of &amp;all webhooks</source>
        <translation>&amp;Historique de tous les webhooks</translation>
    </message>
    <message>
        <source>Ctrl+H</source>
        <translation>Ctrl+H</translation>
    </message>
    <message>
        <source>&amp;About Hookline</source>
        <translation>À &amp;propos de Hookline</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>Ctrl+,</source>
        <translation>Ctrl+,</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Webhook</source>
        <translation>&amp;Webhook</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>&amp;Outils</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Principale</translation>
    </message>
    <message>
        <source>Search webhooks (Ctrl+F)</source>
        <translation>Rechercher des webhooks (Ctrl+F)</translation>
    </message>
    <message>
        <source>Search webhooks</source>
        <translation>Rechercher des webhooks</translation>
    </message>
    <message>
        <source>Webhooks</source>
        <translation>Webhooks</translation>
    </message>
    <message>
        <source>Webhook details</source>
        <translation>Détails du webhook</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Paramètres</translation>
    </message>
    <message>
        <source>&amp;Charts</source>
        <translation>&amp;Graphiques</translation>
    </message>
    <message>
        <source>Engine status</source>
        <translation>État du moteur</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Enregistré.</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Modifications non enregistrées</translation>
    </message>
    <message>
        <source>The webhook has changes that are not saved. Save them?</source>
        <translation>Le webhook comporte des modifications non enregistrées. Les enregistrer&#xa0;?</translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation>Impossible d’enregistrer</translation>
    </message>
    <message>
        <source>Deacti&amp;vate</source>
        <translation>Désacti&amp;ver</translation>
    </message>
    <message>
        <source>&amp;Activate</source>
        <translation>&amp;Activer</translation>
    </message>
    <message>
        <source>Engine stopped</source>
        <translation>Moteur arrêté</translation>
    </message>
    <message>
        <source>Engine paused</source>
        <translation>Moteur en pause</translation>
    </message>
    <message>
        <source>Engine running</source>
        <translation>Moteur en marche</translation>
    </message>
    <message>
        <source>%1 (copy)</source>
        <translation>%1 (copie)</translation>
    </message>
    <message>
        <source>Delete webhook</source>
        <translation>Supprimer le webhook</translation>
    </message>
    <message>
        <source>Delete “%1” and its whole delivery history? This cannot be undone.</source>
        <translation>Supprimer «&#xa0;%1&#xa0;» et tout son historique de livraisons&#xa0;? Cette action est irréversible.</translation>
    </message>
    <message>
        <source>Webhook</source>
        <translation>Webhook</translation>
    </message>
    <message>
        <source>&amp;Engine</source>
        <translation>&amp;Moteur</translation>
    </message>
    <message>
        <source>Sec&amp;ret</source>
        <translation>Sec&amp;ret</translation>
    </message>
    <message>
        <source>Histor&amp;y</source>
        <translation>Histori&amp;que</translation>
    </message>
    <message>
        <source>%1 — queue unknown (database unreachable)</source>
        <translation>%1 — file d’attente inconnue (base de données inaccessible)</translation>
    </message>
    <message numerus="yes">
        <source>%1 — %n deliveries queued</source>
        <translation>
            <numerusform>%1 — %n livraison en file d’attente</numerusform>
            <numerusform>%1 — %n livraisons en file d’attente</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Audit log…</source>
        <translation>&amp;Journal d’audit…</translation>
    </message>
    <message>
        <source>&amp;Tenants and API keys…</source>
        <translation>&amp;Locataires et clés d’API…</translation>
    </message>
    <message>
        <source>Si&amp;gnature debugger…</source>
        <translation>Débogueur de si&amp;gnatures…</translation>
    </message>
    <message>
        <source>&amp;Request inspector…</source>
        <translation>Inspecteur de &amp;requêtes…</translation>
    </message>
    <message>
        <source>&amp;Inspect this webhook…</source>
        <translation>&amp;Inspecter ce webhook…</translation>
    </message>
</context>
<context>
    <name>hookline::Migrations</name>
    <message>
        <source>reading the schema version</source>
        <translation>lecture de la version du schéma</translation>
    </message>
    <message>
        <source>creating the migration table</source>
        <translation>création de la table des migrations</translation>
    </message>
    <message>
        <source>applying schema version %1</source>
        <translation>application de la version %1 du schéma</translation>
    </message>
    <message>
        <source>the database has schema version %1 but this Hookline knows versions up to %2: it was written by a newer Hookline; upgrade Hookline to open it (the file was left untouched)</source>
        <translation>la base de données est à la version de schéma %1, mais ce Hookline ne connaît les versions que jusqu’à %2, elle a donc été écrite par un Hookline plus récent&#xa0;; mettez Hookline à jour pour l’ouvrir (le fichier n’a pas été modifié)</translation>
    </message>
    <message>
        <source>inspecting the database</source>
        <translation>inspection de la base de données</translation>
    </message>
    <message>
        <source>the file holds tables but is not a Hookline database (no schema_migrations table); it was left untouched</source>
        <translation>le fichier contient des tables mais n’est pas une base de données Hookline (pas de table schema_migrations)&#xa0;; il n’a pas été modifié</translation>
    </message>
    <message>
        <source>waiting for another migration</source>
        <translation>attente d’une autre migration</translation>
    </message>
</context>
<context>
    <name>hookline::NewKeyDialog</name>
    <message>
        <source>&amp;Copy key</source>
        <translation>&amp;Copier la clé</translation>
    </message>
    <message>
        <source>New API key</source>
        <translation>Nouvelle clé d’API</translation>
    </message>
    <message>
        <source>The API key for %1. It is shown this once: Hookline keeps only a hash of it. Copy it into the product that will call the API now.</source>
        <translation>La clé d’API pour %1. Elle n’est montrée que cette fois&#xa0;: Hookline n’en garde qu’une empreinte. Copiez-la maintenant dans le produit qui appellera l’API.</translation>
    </message>
    <message>
        <source>Copy the API key</source>
        <translation>Copier la clé d’API</translation>
    </message>
    <message>
        <source>Copy status</source>
        <translation>État de la copie</translation>
    </message>
    <message>
        <source>Not copied yet.</source>
        <translation>Pas encore copiée.</translation>
    </message>
    <message numerus="yes">
        <source>Copied. The clipboard is cleared in %n seconds.</source>
        <translation>
            <numerusform>Copiée. Le presse-papiers est vidé dans %n seconde.</numerusform>
            <numerusform>Copiée. Le presse-papiers est vidé dans %n secondes.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>hookline::PlanDialog</name>
    <message>
        <source>&amp;Unlimited</source>
        <translation>&amp;Illimité</translation>
    </message>
    <message>
        <source>Un&amp;limited</source>
        <translation>Illi&amp;mité</translation>
    </message>
    <message>
        <source>New plan</source>
        <translation>Nouveau forfait</translation>
    </message>
    <message>
        <source>GOLD</source>
        <translation>OR</translation>
    </message>
    <message>
        <source>Plan name</source>
        <translation>Nom du forfait</translation>
    </message>
    <message>
        <source>Webhooks allowed</source>
        <translation>Webhooks autorisés</translation>
    </message>
    <message>
        <source>Unlimited webhooks</source>
        <translation>Webhooks illimités</translation>
    </message>
    <message>
        <source>API requests a minute</source>
        <translation>Requêtes d’API par minute</translation>
    </message>
    <message>
        <source>Unlimited API requests</source>
        <translation>Requêtes d’API illimitées</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nom&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Webhooks allowed:</source>
        <translation>&amp;Webhooks autorisés&#xa0;:</translation>
    </message>
    <message>
        <source>API &amp;requests a minute (per key):</source>
        <translation>&amp;Requêtes d’API par minute (par clé)&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Add plan</source>
        <translation>&amp;Ajouter le forfait</translation>
    </message>
</context>
<context>
    <name>hookline::PlanService</name>
    <message>
        <source>no plan &quot;%1&quot; (plans: %2)</source>
        <translation>aucun forfait «&#xa0;%1&#xa0;» (forfaits&#xa0;: %2)</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid plan name (letters, digits, &apos;_&apos;, &apos;-&apos;; at most 32)</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas un nom de forfait valide (lettres, chiffres, «&#xa0;_&#xa0;», «&#xa0;-&#xa0;»&#xa0;; 32 au plus)</translation>
    </message>
    <message>
        <source>must be from 0 to %1, or unlimited</source>
        <translation>doit aller de 0 à %1, ou être illimité</translation>
    </message>
    <message>
        <source>must be from 1 to %1, or unlimited</source>
        <translation>doit aller de 1 à %1, ou être illimité</translation>
    </message>
    <message>
        <source>the plan &quot;%1&quot; exists already</source>
        <translation>le forfait «&#xa0;%1&#xa0;» existe déjà</translation>
    </message>
    <message>
        <source>%1 is a built-in plan and keeps its limits; add a plan of your own instead</source>
        <translation>%1 est un forfait intégré et garde ses limites&#xa0;; ajoutez plutôt votre propre forfait</translation>
    </message>
</context>
<context>
    <name>hookline::PlanStore</name>
    <message>
        <source>reading a plan</source>
        <translation>lecture d’un forfait</translation>
    </message>
    <message>
        <source>listing plans</source>
        <translation>liste des forfaits</translation>
    </message>
    <message>
        <source>creating a plan</source>
        <translation>création d’un forfait</translation>
    </message>
    <message>
        <source>changing a plan</source>
        <translation>modification d’un forfait</translation>
    </message>
    <message>
        <source>counting a plan&apos;s tenants</source>
        <translation>décompte des locataires d’un forfait</translation>
    </message>
</context>
<context>
    <name>hookline::PrivateFiles</name>
    <message>
        <source>cannot create the folder %1</source>
        <translation>impossible de créer le dossier %1</translation>
    </message>
    <message>
        <source>cannot make the folder %1 private</source>
        <translation>impossible de rendre le dossier %1 privé</translation>
    </message>
    <message>
        <source>cannot create %1: %2</source>
        <translation>impossible de créer %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>cannot make %1 private: %2</source>
        <translation>impossible de rendre %1 privé&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1 is open to other users of this computer, and it holds every webhook&apos;s secret; make it private with: chmod 600 %2</source>
        <translation>%1 est accessible aux autres utilisateurs de cet ordinateur, alors qu’il contient le secret de chaque webhook&#xa0;; rendez-le privé avec&#xa0;: chmod 600 %2</translation>
    </message>
</context>
<context>
    <name>hookline::QueueKeeper</name>
    <message>
        <source>could not listen for new deliveries; polling every %1 ms</source>
        <translation>impossible d’écouter les nouvelles livraisons&#xa0;; interrogation toutes les %1 ms</translation>
    </message>
    <message>
        <source>delivery %1 is not there or is being delivered</source>
        <translation>la livraison %1 n’existe pas ou est en cours d’envoi</translation>
    </message>
</context>
<context>
    <name>hookline::RetryTimeline</name>
    <message>
        <source>Retry timeline</source>
        <translation>Chronologie des nouvelles tentatives</translation>
    </message>
    <message>
        <source>When each attempt of a failing delivery would be made</source>
        <translation>Moment de chaque tentative d’une livraison en échec</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <source>%1 days</source>
        <translation>%1 jours</translation>
    </message>
    <message>
        <source>Attempt 1: at once</source>
        <translation>Tentative 1&#xa0;: immédiatement</translation>
    </message>
    <message>
        <source>Retry %1 (attempt %2)</source>
        <translation>Nouvelle tentative %1 (tentative %2)</translation>
    </message>
    <message>
        <source>Delivery fails for good</source>
        <translation>Échec définitif de la livraison</translation>
    </message>
    <message>
        <source>now</source>
        <translation>maintenant</translation>
    </message>
    <message>
        <source>+%1</source>
        <translation>+%1</translation>
    </message>
    <message>
        <source> (between +%1 and +%2 with jitter)</source>
        <translation> (entre +%1 et +%2 avec la gigue)</translation>
    </message>
    <message numerus="yes">
        <source>The webhook is deactivated when %n deliveries in a row fail</source>
        <translation>
            <numerusform>Le webhook est désactivé après %n échec de livraison</numerusform>
            <numerusform>Le webhook est désactivé après %n échecs de livraison consécutifs</numerusform>
        </translation>
    </message>
    <message>
        <source>The webhook is never deactivated automatically</source>
        <translation>Le webhook n’est jamais désactivé automatiquement</translation>
    </message>
</context>
<context>
    <name>hookline::SchemeDescriptor</name>
    <message>
        <source>Standard Webhooks (webhook-signature)</source>
        <translation>Standard Webhooks (webhook-signature)</translation>
    </message>
    <message>
        <source>webhook-id, webhook-timestamp and webhook-signature: v1,&lt;base64&gt; of id.timestamp.body for each current secret, keyed with the base64 after whsec_</source>
        <translation>webhook-id, webhook-timestamp et webhook-signature&#xa0;: v1,&lt;base64&gt; du contenu id.timestamp.body pour chaque secret en vigueur, avec pour clé le base64 qui suit whsec_</translation>
    </message>
    <message>
        <source>HMAC-SHA256, hex (&lt;P&gt;-Signature)</source>
        <translation>HMAC-SHA256, hex (&lt;P&gt;-Signature)</translation>
    </message>
    <message>
        <source>&lt;P&gt;-Signature: hex HMAC-SHA256 of the body, keyed with the secret as text; only the newest secret signs</source>
        <translation>&lt;P&gt;-Signature&#xa0;: HMAC-SHA256 du corps en hexadécimal, avec pour clé le secret tel quel&#xa0;; seul le secret le plus récent signe</translation>
    </message>
    <message>
        <source>HMAC-SHA256, base64 (&lt;P&gt;-Signature)</source>
        <translation>HMAC-SHA256, base64 (&lt;P&gt;-Signature)</translation>
    </message>
    <message>
        <source>&lt;P&gt;-Signature: base64 HMAC-SHA256 of the body, keyed with the secret as text; only the newest secret signs</source>
        <translation>&lt;P&gt;-Signature&#xa0;: HMAC-SHA256 du corps en base64, avec pour clé le secret tel quel&#xa0;; seul le secret le plus récent signe</translation>
    </message>
    <message>
        <source>Timestamped, sha256= (&lt;P&gt;-Signature, &lt;P&gt;-Timestamp)</source>
        <translation>Horodaté, sha256= (&lt;P&gt;-Signature, &lt;P&gt;-Timestamp)</translation>
    </message>
    <message>
        <source>&lt;P&gt;-Signature: sha256=&lt;hex&gt; of timestamp.body, beside &lt;P&gt;-Timestamp; keyed with the secret as text; only the newest secret signs</source>
        <translation>&lt;P&gt;-Signature&#xa0;: sha256=&lt;hex&gt; du contenu timestamp.body, accompagné de &lt;P&gt;-Timestamp&#xa0;; avec pour clé le secret tel quel&#xa0;; seul le secret le plus récent signe</translation>
    </message>
    <message>
        <source>GitHub (X-Hub-Signature-256)</source>
        <translation>GitHub (X-Hub-Signature-256)</translation>
    </message>
    <message>
        <source>X-Hub-Signature-256: sha256=&lt;hex&gt; of the body, keyed with the secret as text; only the newest secret signs</source>
        <translation>X-Hub-Signature-256&#xa0;: sha256=&lt;hex&gt; du corps, avec pour clé le secret tel quel&#xa0;; seul le secret le plus récent signe</translation>
    </message>
    <message>
        <source>Stripe (Stripe-Signature)</source>
        <translation>Stripe (Stripe-Signature)</translation>
    </message>
    <message>
        <source>Stripe-Signature: t=&lt;timestamp&gt;,v1=&lt;hex&gt; of timestamp.body for each current secret, keyed with the whole whsec_ secret as text</source>
        <translation>Stripe-Signature&#xa0;: t=&lt;horodatage&gt;,v1=&lt;hex&gt; du contenu timestamp.body pour chaque secret en vigueur, avec pour clé le secret whsec_ entier, tel quel</translation>
    </message>
</context>
<context>
    <name>hookline::Secret</name>
    <message>
        <source>the secret is empty after the whsec_ prefix</source>
        <translation>le secret est vide après le préfixe whsec_</translation>
    </message>
    <message>
        <source>the secret contains non-ASCII characters, so it is not base64</source>
        <translation>le secret contient des caractères non ASCII, ce n’est donc pas du base64</translation>
    </message>
    <message>
        <source>the secret is not valid base64 (the standard scheme decodes the part after whsec_)</source>
        <translation>le secret n’est pas du base64 valide (le schéma standard décode la partie après whsec_)</translation>
    </message>
    <message>
        <source>the secret has an impossible base64 length (truncated?)</source>
        <translation>le secret a une longueur base64 impossible (tronqué&#xa0;?)</translation>
    </message>
    <message>
        <source>the secret decodes to an empty key</source>
        <translation>le secret se décode en une clé vide</translation>
    </message>
</context>
<context>
    <name>hookline::SecretPanel</name>
    <message>
        <source>Signing secret</source>
        <translation>Secret de signature</translation>
    </message>
    <message>
        <source>Masked; use Reveal to show it</source>
        <translation>Masqué&#xa0;; utilisez Afficher pour le voir</translation>
    </message>
    <message>
        <source>Re&amp;veal</source>
        <translation>&amp;Afficher</translation>
    </message>
    <message>
        <source>Reveal secret</source>
        <translation>Afficher le secret</translation>
    </message>
    <message>
        <source>Copy secret</source>
        <translation>Copier le secret</translation>
    </message>
    <message>
        <source>Copies the secret; the clipboard is cleared after 30 seconds</source>
        <translation>Copie le secret&#xa0;; le presse-papiers est vidé après 30 secondes</translation>
    </message>
    <message>
        <source>Rotate secret</source>
        <translation>Renouveler le secret</translation>
    </message>
    <message>
        <source>Issues a new secret; the old one keeps signing during the grace period</source>
        <translation>Émet un nouveau secret&#xa0;; l’ancien continue de signer pendant le délai de grâce</translation>
    </message>
    <message>
        <source>Previous secret</source>
        <translation>Secret précédent</translation>
    </message>
    <message>
        <source>Secret status</source>
        <translation>État du secret</translation>
    </message>
    <message>
        <source>Receivers verify every delivery with this secret. Keep it out of logs and chats.</source>
        <translation>Les destinataires vérifient chaque livraison avec ce secret. Tenez-le à l’écart des journaux et des messageries.</translation>
    </message>
    <message>
        <source>The clipboard was cleared.</source>
        <translation>Le presse-papiers a été vidé.</translation>
    </message>
    <message>
        <source>A secret is generated when the webhook is saved</source>
        <translation>Un secret est généré à l’enregistrement du webhook</translation>
    </message>
    <message>
        <source>The previous secret keeps signing beside this one until %1.</source>
        <translation>Le secret précédent continue de signer avec celui-ci jusqu’au %1.</translation>
    </message>
    <message numerus="yes">
        <source>Copied. The clipboard is cleared in %n seconds unless you copy something else.</source>
        <translation>
            <numerusform>Copié. Le presse-papiers sera vidé dans %n seconde, sauf si vous copiez autre chose.</numerusform>
            <numerusform>Copié. Le presse-papiers sera vidé dans %n secondes, sauf si vous copiez autre chose.</numerusform>
        </translation>
    </message>
    <message>
        <source>Issue a new secret for “%1”?

The current secret keeps signing beside the new one for %2, so receivers can switch over. The new secret is shown and copied to the clipboard.</source>
        <translation>Émettre un nouveau secret pour «&#xa0;%1&#xa0;»&#xa0;?

Le secret actuel continue de signer avec le nouveau pendant %2, afin que les destinataires puissent basculer. Le nouveau secret est affiché et copié dans le presse-papiers.</translation>
    </message>
    <message>
        <source>Co&amp;py</source>
        <translation>Co&amp;pier</translation>
    </message>
    <message>
        <source>R&amp;otate…</source>
        <translation>Ren&amp;ouveler…</translation>
    </message>
    <message>
        <source>Secret &amp;key:</source>
        <translation>&amp;Clé secrète&#xa0;:</translation>
    </message>
    <message>
        <source>Hi&amp;de</source>
        <translation>Mas&amp;quer</translation>
    </message>
    <message>
        <source>Shown; use Hide to mask it</source>
        <translation>Affiché&#xa0;; utilisez Masquer pour le cacher</translation>
    </message>
    <message>
        <source>New secret issued. </source>
        <translation>Nouveau secret émis. </translation>
    </message>
    <message>
        <source>Hide secret</source>
        <translation>Masquer le secret</translation>
    </message>
    <message numerus="yes">
        <source>New secret issued and copied to the clipboard, which is cleared in %n seconds unless you copy something else.</source>
        <translation>
            <numerusform>Nouveau secret émis et copié dans le presse-papiers, qui sera vidé dans %n seconde, sauf si vous copiez autre chose.</numerusform>
            <numerusform>Nouveau secret émis et copié dans le presse-papiers, qui sera vidé dans %n secondes, sauf si vous copiez autre chose.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n older secret(s) stopped signing now: at most %1 previous secrets sign beside the current one.</source>
        <translation>
            <numerusform>%n ancien secret a cessé de signer dès maintenant&#xa0;: %1 secrets précédents au plus signent avec le secret actuel.</numerusform>
            <numerusform>%n anciens secrets ont cessé de signer dès maintenant&#xa0;: %1 secrets précédents au plus signent avec le secret actuel.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>hookline::SendEventDialog</name>
    <message>
        <source>&amp;Emit</source>
        <translation>É&amp;mettre</translation>
    </message>
    <message>
        <source>Send event</source>
        <translation>Envoyer un événement</translation>
    </message>
    <message>
        <source>Event type</source>
        <translation>Type d’événement</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>Locataire</translation>
    </message>
    <message>
        <source>Event data</source>
        <translation>Données de l’événement</translation>
    </message>
    <message>
        <source>A JSON object: the data of the event</source>
        <translation>Un objet JSON&#xa0;: les données de l’événement</translation>
    </message>
    <message>
        <source>Send result</source>
        <translation>Résultat de l’envoi</translation>
    </message>
    <message>
        <source>Emit event</source>
        <translation>Émettre l’événement</translation>
    </message>
    <message>
        <source>Event &amp;type:</source>
        <translation>&amp;Type d’événement&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Data:</source>
        <translation>&amp;Données&#xa0;:</translation>
    </message>
    <message>
        <source>Not valid JSON: %1</source>
        <translation>JSON non valide&#xa0;: %1</translation>
    </message>
    <message>
        <source>Te&amp;nant:</source>
        <translation>Lo&amp;cataire&#xa0;:</translation>
    </message>
    <message numerus="yes">
        <source>Event %1 recorded: %n deliveries queued.</source>
        <translation>
            <numerusform>Événement %1 enregistré&#xa0;: %n livraison en file d’attente.</numerusform>
            <numerusform>Événement %1 enregistré&#xa0;: %n livraisons en file d’attente.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>hookline::Settings</name>
    <message>
        <source>unknown setting &quot;%1&quot; (known: %2)</source>
        <translation>paramètre «&#xa0;%1&#xa0;» inconnu (connus&#xa0;: %2)</translation>
    </message>
    <message>
        <source>expected true or false, got &quot;%1&quot;</source>
        <translation>true ou false attendu, «&#xa0;%1&#xa0;» reçu</translation>
    </message>
    <message>
        <source>expected a whole number, got &quot;%1&quot;</source>
        <translation>nombre entier attendu, «&#xa0;%1&#xa0;» reçu</translation>
    </message>
    <message>
        <source>expected a number, got &quot;%1&quot;</source>
        <translation>nombre attendu, «&#xa0;%1&#xa0;» reçu</translation>
    </message>
    <message>
        <source>must be between %1 and %2</source>
        <translation>doit être compris entre %1 et %2</translation>
    </message>
    <message>
        <source>must be a header name of letters, digits and dashes, like X-Webhook</source>
        <translation>doit être un nom d’en-tête fait de lettres, de chiffres et de tirets, comme X-Webhook</translation>
    </message>
    <message>
        <source>there is no webhook %1</source>
        <translation>il n’existe aucun webhook %1</translation>
    </message>
</context>
<context>
    <name>hookline::SettingsDialog</name>
    <message>
        <source>Allow plain &amp;http:// URLs</source>
        <translation>Autoriser les URL &amp;http:// non chiffrées</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Base de données</translation>
    </message>
    <message>
        <source>Header prefix</source>
        <translation>Préfixe d’en-tête</translation>
    </message>
    <message>
        <source>Request timeout</source>
        <translation>Délai d’attente des requêtes</translation>
    </message>
    <message>
        <source>Deliveries kept per webhook</source>
        <translation>Livraisons conservées par webhook</translation>
    </message>
    <message>
        <source>Secret rotation grace period</source>
        <translation>Délai de grâce du renouvellement de secret</translation>
    </message>
    <message>
        <source>Extra CA certificates</source>
        <translation>Certificats CA supplémentaires</translation>
    </message>
    <message>
        <source>Settings problem</source>
        <translation>Problème de paramètres</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>Pa&amp;rcourir…</translation>
    </message>
    <message>
        <source>Browse for CA certificates</source>
        <translation>Rechercher des certificats CA</translation>
    </message>
    <message>
        <source>CA certificates</source>
        <translation>Certificats CA</translation>
    </message>
    <message>
        <source>PEM files (*.pem *.crt);;All files (*)</source>
        <translation>Fichiers PEM (*.pem *.crt);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Header &amp;prefix:</source>
        <translation>Préfi&amp;xe d’en-tête&#xa0;:</translation>
    </message>
    <message>
        <source>Request &amp;timeout:</source>
        <translation>&amp;Délai d’attente&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Keep deliveries:</source>
        <translation>Livraisons c&amp;onservées&#xa0;:</translation>
    </message>
    <message>
        <source>Rotation &amp;grace:</source>
        <translation>Délai de &amp;grâce&#xa0;:</translation>
    </message>
    <message>
        <source>Extra &amp;CA certificates:</source>
        <translation>Certificats &amp;CA supplémentaires&#xa0;:</translation>
    </message>
    <message>
        <source>Deliveries and their signatures travel unencrypted. For development only.</source>
        <translation>Les livraisons et leurs signatures circulent sans chiffrement. Réservé au développement.</translation>
    </message>
    <message>
        <source>Webhooks may then reach this machine and your internal network (server-side request forgery). For development only.</source>
        <translation>Les webhooks pourront alors atteindre cette machine et votre réseau interne (falsification de requête côté serveur). Réservé au développement.</translation>
    </message>
    <message>
        <source>Allow private and &amp;local addresses</source>
        <translation>Autoriser les adresses privées et &amp;locales</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Langue du système</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>Used from the next start</source>
        <translation>Appliqué au prochain démarrage</translation>
    </message>
    <message>
        <source>La&amp;nguage:</source>
        <translation>La&amp;ngue&#xa0;:</translation>
    </message>
    <message>
        <source>A SQLite file path, or a PostgreSQL URL such as postgresql://user@host:5432/hookline (leave the password out to use ~/.pgpass); used from the next start</source>
        <translation>Un chemin de fichier SQLite, ou une URL PostgreSQL comme postgresql://utilisateur@hôte:5432/hookline (sans mot de passe pour utiliser ~/.pgpass)&#xa0;; pris en compte au prochain démarrage</translation>
    </message>
    <message>
        <source>&amp;Database:</source>
        <translation>&amp;Base de données&#xa0;:</translation>
    </message>
    <message>
        <source>The database is a file path or a postgresql:// URL.</source>
        <translation>La base de données est un chemin de fichier ou une URL postgresql://.</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Connexion à %1…</translation>
    </message>
    <message>
        <source>A SQLite file path or a PostgreSQL URL; empty keeps the one in use now: %1</source>
        <translation>Un chemin de fichier SQLite ou une URL PostgreSQL&#xa0;; vide, conserve la base de données actuelle&#xa0;: %1</translation>
    </message>
    <message>
        <source>Type a number and a unit, such as 10 s or 1 min</source>
        <translation>Saisissez un nombre et une unité, par exemple 10 s ou 1 min</translation>
    </message>
    <message>
        <source>Type a number and a unit, such as 36 h or 2 days</source>
        <translation>Saisissez un nombre et une unité, par exemple 36 h ou 2 jours</translation>
    </message>
    <message>
        <source>Requests in flight per webhook</source>
        <translation>Requêtes en cours par webhook</translation>
    </message>
    <message>
        <source>How many requests the engine may have in flight to one webhook at once; a webhook may set its own</source>
        <translation>Nombre de requêtes que le moteur peut avoir en cours vers un même webhook&#xa0;; un webhook peut fixer le sien</translation>
    </message>
    <message>
        <source>Requests in flight per host</source>
        <translation>Requêtes en cours par hôte</translation>
    </message>
    <message>
        <source>How many requests the engine may have in flight to one host at once, all its webhooks together</source>
        <translation>Nombre de requêtes que le moteur peut avoir en cours vers un même hôte, tous ses webhooks ensemble</translation>
    </message>
    <message>
        <source>Slow answer threshold</source>
        <translation>Seuil de réponse lente</translation>
    </message>
    <message>
        <source>A webhook that takes longer than this to answer moves to the slow lane: connections of its own and a smaller share</source>
        <translation>Un webhook qui met plus longtemps à répondre passe dans la voie lente&#xa0;: des connexions à lui et une part réduite</translation>
    </message>
    <message>
        <source>In flight per &amp;webhook:</source>
        <translation>En cours par &amp;webhook&#xa0;:</translation>
    </message>
    <message>
        <source>In flight per h&amp;ost:</source>
        <translation>En cours par hôt&amp;e&#xa0;:</translation>
    </message>
    <message>
        <source>Slow answer a&amp;fter:</source>
        <translation>Réponse lente au-&amp;delà de&#xa0;:</translation>
    </message>
    <message>
        <source>%1 (%2), fingerprint %3</source>
        <translation>%1 (%2), empreinte %3</translation>
    </message>
    <message>
        <source>Master key</source>
        <translation>Clé maîtresse</translation>
    </message>
    <message>
        <source>Webhook secrets are stored encrypted under this key, kept outside the database. hookline-cli secrets rekey replaces it.</source>
        <translation>Les secrets des webhooks sont stockés chiffrés avec cette clé, conservée hors de la base de données. hookline-cli secrets rekey la remplace.</translation>
    </message>
    <message>
        <source>Master ke&amp;y:</source>
        <translation>Clé &amp;maîtresse&#xa0;:</translation>
    </message>
    <message>
        <source>Keep delivering in the &amp;tray when the window is closed</source>
        <translation>Continuer les livraisons dans la zone de &amp;notification quand la fenêtre est fermée</translation>
    </message>
    <message>
        <source>Closing the window hides it in the notification area; the engine goes on delivering.</source>
        <translation>Fermer la fenêtre la range dans la zone de notification&#xa0;; le moteur continue ses livraisons.</translation>
    </message>
    <message>
        <source>This desktop has no notification area.</source>
        <translation>Ce bureau n’a pas de zone de notification.</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>Jamais</translation>
    </message>
    <message>
        <source>Alert after failed deliveries in a row</source>
        <translation>Alerte après des livraisons échouées d’affilée</translation>
    </message>
    <message>
        <source>Tell when this many deliveries in a row to one webhook ended failed (0: never)</source>
        <translation>Prévenir quand ce nombre de livraisons d’affilée vers un même webhook ont échoué (0&#xa0;: jamais)</translation>
    </message>
    <message>
        <source>Alert under this success rate</source>
        <translation>Alerte sous ce taux de réussite</translation>
    </message>
    <message>
        <source>Tell when less than this share of a webhook&apos;s attempts in the last hour succeeded, counted from 10 attempts (0: never)</source>
        <translation>Prévenir quand moins de cette part des tentatives d’un webhook ont réussi au cours de la dernière heure, à partir de 10 tentatives (0&#xa0;: jamais)</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Aucun</translation>
    </message>
    <message>
        <source>Send operational events to</source>
        <translation>Envoyer les événements opérationnels à</translation>
    </message>
    <message>
        <source>This webhook receives hookline.webhook.failing, .disabled and .recovered, signed like any delivery; never about itself</source>
        <translation>Ce webhook reçoit hookline.webhook.failing, .disabled et .recovered, signés comme toute livraison&#xa0;; jamais à son propre sujet</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Alertes</translation>
    </message>
    <message>
        <source>Failed deliveries in a &amp;row:</source>
        <translation>Livraisons échouées d’a&amp;ffilée&#xa0;:</translation>
    </message>
    <message>
        <source>Success rate &amp;under:</source>
        <translation>Taux de réussite so&amp;us&#xa0;:</translation>
    </message>
    <message>
        <source>Operational &amp;events to:</source>
        <translation>Événements o&amp;pérationnels vers&#xa0;:</translation>
    </message>
    <message>
        <source>%1 (not found)</source>
        <translation>%1 (introuvable)</translation>
    </message>
</context>
<context>
    <name>hookline::SettingsStore</name>
    <message>
        <source>reading a setting</source>
        <translation>lecture d’un paramètre</translation>
    </message>
    <message>
        <source>reading the settings</source>
        <translation>lecture des paramètres</translation>
    </message>
    <message>
        <source>saving a setting</source>
        <translation>enregistrement d’un paramètre</translation>
    </message>
    <message>
        <source>removing a setting</source>
        <translation>suppression d’un paramètre</translation>
    </message>
</context>
<context>
    <name>hookline::SignatureDebugger</name>
    <message>
        <source>The headers are Svix&apos;s (svix-id, svix-timestamp, svix-signature): the Standard Webhooks scheme under other names. They were read as webhook-*.</source>
        <translation>Les en-têtes sont ceux de Svix (svix-id, svix-timestamp, svix-signature)&#xa0;: le schéma Standard Webhooks sous d’autres noms. Ils ont été lus comme webhook-*.</translation>
    </message>
    <message>
        <source>Nothing to fix: Svix&apos;s libraries verify Hookline&apos;s standard scheme with the same secret.</source>
        <translation>Rien à corriger&#xa0;: les bibliothèques de Svix vérifient le schéma standard de Hookline avec le même secret.</translation>
    </message>
    <message>
        <source>Give the receiver the current secret; during the grace period it should accept both.</source>
        <translation>Donnez au destinataire le secret actuel&#xa0;; pendant le délai de grâce, il devrait accepter les deux.</translation>
    </message>
    <message>
        <source>The headers start with %1-, this installation&apos;s with %2-.</source>
        <translation>Les en-têtes commencent par %1-, ceux de cette installation par %2-.</translation>
    </message>
    <message>
        <source>Make the receiver read %1-Signature, or set the webhook&apos;s header prefix to %2 (Settings).</source>
        <translation>Faites lire %1-Signature au destinataire, ou réglez le préfixe des en-têtes sur %2 (Paramètres).</translation>
    </message>
    <message>
        <source>Check the clocks (NTP) on both sides, and send timestamps in seconds; a replayed delivery is refused on purpose.</source>
        <translation>Vérifiez les horloges (NTP) des deux côtés et envoyez les horodatages en secondes&#xa0;; une livraison rejouée est refusée exprès.</translation>
    </message>
    <message>
        <source>The body ends with a line break that was not signed.</source>
        <translation>Le corps se termine par un saut de ligne qui n’a pas été signé.</translation>
    </message>
    <message>
        <source>Send the body exactly as it is (curl --data-binary @file, not -d), or paste it without the last line break.</source>
        <translation>Envoyez le corps tel quel (curl --data-binary @fichier, pas -d), ou collez-le sans le dernier saut de ligne.</translation>
    </message>
    <message>
        <source>The body is not the bytes that were signed: the signature matches its compact JSON form (other spacing or line breaks). It was parsed and written again on the way.</source>
        <translation>Le corps n’est pas celui qui a été signé&#xa0;: la signature correspond à sa forme JSON compacte (autres espaces ou sauts de ligne). Il a été analysé puis réécrit en chemin.</translation>
    </message>
    <message>
        <source>Verify the raw request body, before any JSON parsing (Express: express.raw(); Flask: request.get_data()).</source>
        <translation>Vérifiez le corps brut de la requête, avant toute analyse JSON (Express&#xa0;: express.raw()&#xa0;; Flask&#xa0;: request.get_data()).</translation>
    </message>
    <message>
        <source>The signature was made with the whole whsec_… secret as text; this scheme keys HMAC with the bytes of the base64 after whsec_.</source>
        <translation>La signature a été faite avec tout le secret whsec_… comme texte&#xa0;; ce schéma utilise comme clé HMAC les octets du base64 qui suit whsec_.</translation>
    </message>
    <message>
        <source>Decode the part after whsec_ from base64 and use those bytes as the key (the standardwebhooks libraries do).</source>
        <translation>Décodez en base64 la partie après whsec_ et utilisez ces octets comme clé (comme les bibliothèques standardwebhooks).</translation>
    </message>
    <message>
        <source>The signature was made with the base64-decoded bytes after whsec_; this scheme keys HMAC with the secret as text, whsec_ included.</source>
        <translation>La signature a été faite avec les octets décodés du base64 après whsec_&#xa0;; ce schéma utilise le secret comme texte, whsec_ compris.</translation>
    </message>
    <message>
        <source>Use the secret&apos;s UTF-8 text as the key, exactly as shown.</source>
        <translation>Utilisez le texte UTF-8 du secret comme clé, exactement tel qu’affiché.</translation>
    </message>
    <message>
        <source>The digest is right but written in %1; this scheme writes it in %2.</source>
        <translation>L’empreinte est juste mais écrite en %1&#xa0;; ce schéma l’écrit en %2.</translation>
    </message>
    <message>
        <source>Encode the 32 bytes of HMAC-SHA256 as %1.</source>
        <translation>Encodez les 32 octets du HMAC-SHA256 en %1.</translation>
    </message>
    <message numerus="yes">
        <source>It verifies with a secret that %n rotations replaced, not with the current one.</source>
        <translation>
            <numerusform>Elle est valide avec le secret remplacé par la dernière rotation, pas avec le secret actuel.</numerusform>
            <numerusform>Elle est valide avec un secret remplacé il y a %n rotations, pas avec le secret actuel.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>hookline::SignatureDebuggerDialog</name>
    <message>
        <source>&amp;Check signature</source>
        <translation>&amp;Vérifier la signature</translation>
    </message>
    <message>
        <source>Signature debugger</source>
        <translation>Débogueur de signatures</translation>
    </message>
    <message>
        <source>None: the secret typed below</source>
        <translation>Aucun&#xa0;: le secret saisi ci-dessous</translation>
    </message>
    <message>
        <source>Webhook</source>
        <translation>Webhook</translation>
    </message>
    <message>
        <source>Its current and previous secrets are tried, with its signing scheme</source>
        <translation>Ses secrets actuel et précédents sont essayés, avec son schéma de signature</translation>
    </message>
    <message>
        <source>Secret</source>
        <translation>Secret</translation>
    </message>
    <message>
        <source>The receiver&apos;s secret</source>
        <translation>Le secret du destinataire</translation>
    </message>
    <message>
        <source>Detect from the headers</source>
        <translation>Déduire des en-têtes</translation>
    </message>
    <message>
        <source>Signing scheme</source>
        <translation>Schéma de signature</translation>
    </message>
    <message>
        <source>Header prefix</source>
        <translation>Préfixe des en-têtes</translation>
    </message>
    <message>
        <source>Headers</source>
        <translation>En-têtes</translation>
    </message>
    <message>
        <source>Name: value, one header a line, as the receiver got them</source>
        <translation>Nom&#xa0;: valeur, un en-tête par ligne, tels que reçus par le destinataire</translation>
    </message>
    <message>
        <source>Body</source>
        <translation>Corps</translation>
    </message>
    <message>
        <source>The body exactly as received</source>
        <translation>Le corps exactement tel que reçu</translation>
    </message>
    <message>
        <source>&amp;Load body from a file…</source>
        <translation>&amp;Charger le corps depuis un fichier…</translation>
    </message>
    <message>
        <source>Signature check result</source>
        <translation>Résultat de la vérification de signature</translation>
    </message>
    <message>
        <source>Signature check details</source>
        <translation>Détails de la vérification de signature</translation>
    </message>
    <message>
        <source>&amp;Webhook:</source>
        <translation>&amp;Webhook&#xa0;:</translation>
    </message>
    <message>
        <source>S&amp;ecret:</source>
        <translation>S&amp;ecret&#xa0;:</translation>
    </message>
    <message>
        <source>Sc&amp;heme:</source>
        <translation>Sc&amp;héma&#xa0;:</translation>
    </message>
    <message>
        <source>Header &amp;prefix:</source>
        <translation>&amp;Préfixe des en-têtes&#xa0;:</translation>
    </message>
    <message>
        <source>He&amp;aders:</source>
        <translation>En-tê&amp;tes&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Body:</source>
        <translation>C&amp;orps&#xa0;:</translation>
    </message>
    <message>
        <source>Load the body</source>
        <translation>Charger le corps</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>Impossible de lire %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a header: write Name: value</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas un en-tête&#xa0;: écrivez Nom&#xa0;: valeur</translation>
    </message>
    <message>
        <source>✓ The signature verifies, with a secret from before a rotation.</source>
        <translation>✓ La signature est valide, avec un secret d’avant une rotation.</translation>
    </message>
    <message>
        <source>✓ The signature verifies.</source>
        <translation>✓ La signature est valide.</translation>
    </message>
    <message>
        <source>✗ The signature does not verify: %1</source>
        <translation>✗ La signature n’est pas valide&#xa0;: %1</translation>
    </message>
    <message>
        <source>Scheme: %1</source>
        <translation>Schéma&#xa0;: %1</translation>
    </message>
    <message>
        <source>not recognised</source>
        <translation>non reconnu</translation>
    </message>
    <message>
        <source>Mistake: %1</source>
        <translation>Erreur&#xa0;: %1</translation>
    </message>
    <message>
        <source>Fix: %1</source>
        <translation>Correction&#xa0;: %1</translation>
    </message>
    <message>
        <source>Signed content, byte for byte (↵ line feed, ← carriage return, → tab, · space at a line&apos;s end):</source>
        <translation>Contenu signé, octet par octet (↵ saut de ligne, ← retour chariot, → tabulation, · espace en fin de ligne)&#xa0;:</translation>
    </message>
    <message>
        <source>Expected:</source>
        <translation>Attendue&#xa0;:</translation>
    </message>
    <message>
        <source>Given:</source>
        <translation>Reçue&#xa0;:</translation>
    </message>
    <message>
        <source>^ first difference, at character %1</source>
        <translation>^ première différence, au caractère %1</translation>
    </message>
</context>
<context>
    <name>hookline::SqliteFile</name>
    <message>
        <source>%1 does not exist</source>
        <translation>%1 n’existe pas</translation>
    </message>
    <message>
        <source>%1 is not a readable file</source>
        <translation>%1 n’est pas un fichier lisible</translation>
    </message>
    <message>
        <source>cannot open %1: %2</source>
        <translation>impossible d’ouvrir %1&#xa0;: %2</translation>
    </message>
</context>
<context>
    <name>hookline::TableCopy</name>
    <message>
        <source>listing the tables</source>
        <translation>liste des tables</translation>
    </message>
    <message>
        <source>reading the columns of %1</source>
        <translation>lecture des colonnes de %1</translation>
    </message>
    <message>
        <source>there is no table %1</source>
        <translation>il n’y a pas de table %1</translation>
    </message>
    <message>
        <source>emptying %1</source>
        <translation>vidage de %1</translation>
    </message>
    <message>
        <source>reading %1</source>
        <translation>lecture de %1</translation>
    </message>
    <message>
        <source>writing %1</source>
        <translation>écriture de %1</translation>
    </message>
    <message>
        <source>reading the identity columns</source>
        <translation>lecture des colonnes d’identité</translation>
    </message>
    <message>
        <source>continuing the ids of %1</source>
        <translation>reprise des identifiants de %1</translation>
    </message>
</context>
<context>
    <name>hookline::TenantModel</name>
    <message>
        <source>unlimited</source>
        <translation>illimité</translation>
    </message>
    <message>
        <source>unknown plan</source>
        <translation>forfait inconnu</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>Locataire</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Forfait</translation>
    </message>
    <message>
        <source>Webhooks allowed</source>
        <translation>Webhooks autorisés</translation>
    </message>
    <message>
        <source>API requests a minute</source>
        <translation>Requêtes d’API par minute</translation>
    </message>
</context>
<context>
    <name>hookline::TenantService</name>
    <message>
        <source>&quot;%1&quot; is not a valid tenant id (letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;; at most 64)</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas un identifiant de locataire valide (lettres, chiffres, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;&#xa0;; 64 au plus)</translation>
    </message>
    <message>
        <source>tenant &quot;%1&quot; already exists</source>
        <translation>le locataire «&#xa0;%1&#xa0;» existe déjà</translation>
    </message>
    <message>
        <source>no tenant &quot;%1&quot;</source>
        <translation>aucun locataire «&#xa0;%1&#xa0;»</translation>
    </message>
    <message>
        <source>tenant %1 is on the plan &quot;%2&quot;, which is not in the database</source>
        <translation>le locataire %1 a le forfait «&#xa0;%2&#xa0;», absent de la base de données</translation>
    </message>
</context>
<context>
    <name>hookline::TenantStore</name>
    <message>
        <source>reading a tenant</source>
        <translation>lecture d’un locataire</translation>
    </message>
    <message>
        <source>listing tenants</source>
        <translation>liste des locataires</translation>
    </message>
    <message>
        <source>creating a tenant</source>
        <translation>création d’un locataire</translation>
    </message>
    <message>
        <source>changing a tenant&apos;s plan</source>
        <translation>changement du forfait d’un locataire</translation>
    </message>
</context>
<context>
    <name>hookline::TenantsDialog</name>
    <message>
        <source>C&amp;hange plan</source>
        <translation>C&amp;hanger de forfait</translation>
    </message>
    <message>
        <source>Add &amp;tenant</source>
        <translation>Ajouter le &amp;locataire</translation>
    </message>
    <message>
        <source>New &amp;plan…</source>
        <translation>Nouveau &amp;forfait…</translation>
    </message>
    <message>
        <source>Ad&amp;min key (every tenant)</source>
        <translation>Clé d’ad&amp;ministration (tous les locataires)</translation>
    </message>
    <message>
        <source>&amp;Create key</source>
        <translation>&amp;Créer la clé</translation>
    </message>
    <message>
        <source>&amp;Revoke key…</source>
        <translation>&amp;Révoquer la clé…</translation>
    </message>
    <message>
        <source>Tenants and API keys</source>
        <translation>Locataires et clés d’API</translation>
    </message>
    <message>
        <source>Tenants</source>
        <translation>Locataires</translation>
    </message>
    <message>
        <source>API keys</source>
        <translation>Clés d’API</translation>
    </message>
    <message>
        <source>Plan of the selected tenant</source>
        <translation>Forfait du locataire choisi</translation>
    </message>
    <message>
        <source>Change the selected tenant&apos;s plan</source>
        <translation>Changer le forfait du locataire choisi</translation>
    </message>
    <message>
        <source>acme</source>
        <translation>acme</translation>
    </message>
    <message>
        <source>New tenant id</source>
        <translation>Identifiant du nouveau locataire</translation>
    </message>
    <message>
        <source>Plan of the new tenant</source>
        <translation>Forfait du nouveau locataire</translation>
    </message>
    <message>
        <source>Add the tenant</source>
        <translation>Ajouter le locataire</translation>
    </message>
    <message>
        <source>Define a new plan</source>
        <translation>Définir un nouveau forfait</translation>
    </message>
    <message>
        <source>e.g. CRM production</source>
        <translation>p. ex. CRM production</translation>
    </message>
    <message>
        <source>Name of the new key</source>
        <translation>Nom de la nouvelle clé</translation>
    </message>
    <message>
        <source>Admin key for every tenant</source>
        <translation>Clé d’administration pour tous les locataires</translation>
    </message>
    <message>
        <source>Create an API key</source>
        <translation>Créer une clé d’API</translation>
    </message>
    <message>
        <source>Revoke the selected API key</source>
        <translation>Révoquer la clé d’API choisie</translation>
    </message>
    <message>
        <source>Tenants and API keys status</source>
        <translation>État des locataires et des clés d’API</translation>
    </message>
    <message>
        <source>P&amp;lan:</source>
        <translation>&amp;Forfait&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;New tenant:</source>
        <translation>&amp;Nouveau locataire&#xa0;:</translation>
    </message>
    <message>
        <source>Key &amp;name:</source>
        <translation>Nom de la &amp;clé&#xa0;:</translation>
    </message>
    <message>
        <source>A new key belongs to the tenant selected above, or to every tenant when it is an admin key.</source>
        <translation>Une nouvelle clé appartient au locataire choisi ci-dessus, ou à tous les locataires si c’est une clé d’administration.</translation>
    </message>
    <message>
        <source>%1 (webhooks: %2; requests a minute: %3)</source>
        <translation>%1 (webhooks&#xa0;: %2&#xa0;; requêtes par minute&#xa0;: %3)</translation>
    </message>
    <message>
        <source>%1 is now on the %2 plan.</source>
        <translation>%1 a maintenant le forfait %2.</translation>
    </message>
    <message>
        <source>Tenant %1 added, on the %2 plan.</source>
        <translation>Locataire %1 ajouté, avec le forfait %2.</translation>
    </message>
    <message>
        <source>Plan %1 added.</source>
        <translation>Forfait %1 ajouté.</translation>
    </message>
    <message>
        <source>Key %1 created.</source>
        <translation>Clé %1 créée.</translation>
    </message>
    <message>
        <source>every tenant (admin)</source>
        <translation>tous les locataires (admin)</translation>
    </message>
    <message>
        <source>tenant %1</source>
        <translation>le locataire %1</translation>
    </message>
    <message>
        <source>Revoke the key?</source>
        <translation>Révoquer la clé&#xa0;?</translation>
    </message>
    <message>
        <source>Revoke the API key &quot;%1&quot;? Every request made with it is refused from now on; a running server stops taking it within a second.</source>
        <translation>Révoquer la clé d’API «&#xa0;%1&#xa0;»&#xa0;? Toute requête faite avec elle est désormais refusée&#xa0;; un serveur en marche cesse de l’accepter dans la seconde.</translation>
    </message>
    <message>
        <source>Key &quot;%1&quot; revoked.</source>
        <translation>Clé «&#xa0;%1&#xa0;» révoquée.</translation>
    </message>
</context>
<context>
    <name>hookline::TestResultBar</name>
    <message>
        <source>Test ping result</source>
        <translation>Résultat du ping de test</translation>
    </message>
    <message>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <source>no response</source>
        <translation>pas de réponse</translation>
    </message>
    <message>
        <source>✓ Succeeded.</source>
        <translation>✓ Réussi.</translation>
    </message>
    <message>
        <source>✗ Failed.</source>
        <translation>✗ Échec.</translation>
    </message>
    <message>
        <source>, response: “%1”</source>
        <translation>, réponse&#xa0;: «&#xa0;%1&#xa0;»</translation>
    </message>
    <message>
        <source>Ping detai&amp;ls…</source>
        <translation>Détail&amp;s du ping…</translation>
    </message>
    <message>
        <source>Test ping details</source>
        <translation>Détails du ping de test</translation>
    </message>
    <message>
        <source>Opens the request and the response of the last test ping</source>
        <translation>Ouvre la requête et la réponse du dernier ping de test</translation>
    </message>
    <message>
        <source>Send test ping (Ctrl+T) checks that the receiver answers and accepts the signature.</source>
        <translation>Envoyer un ping de test (Ctrl+T) vérifie que le destinataire répond et accepte la signature.</translation>
    </message>
    <message>
        <source>Sending a test ping to “%1”…</source>
        <translation>Envoi d’un ping de test vers «&#xa0;%1&#xa0;»…</translation>
    </message>
    <message>
        <source>✗ Test ping to “%1” at %2 not sent: %3</source>
        <translation>✗ Ping de test vers «&#xa0;%1&#xa0;» du %2 non envoyé&#xa0;: %3</translation>
    </message>
    <message>
        <source>✗ Test ping to “%1” at %2 was not sent.</source>
        <translation>✗ Le ping de test vers «&#xa0;%1&#xa0;» du %2 n’a pas été envoyé.</translation>
    </message>
    <message>
        <source>%1 Test ping to “%2” at %3: %4 in %5 ms%6%7</source>
        <translation>%1 Ping de test vers «&#xa0;%2&#xa0;» du %3&#xa0;: %4 en %5 ms%6%7</translation>
    </message>
    <message>
        <source>The receiver refused it: check that it has the current secret and verifies this webhook&apos;s signing scheme.</source>
        <translation>Le destinataire l’a refusé&#xa0;: vérifiez qu’il dispose du secret actuel et qu’il vérifie le schéma de signature de ce webhook.</translation>
    </message>
</context>
<context>
    <name>hookline::TrayIcon</name>
    <message>
        <source>&amp;Open Hookline</source>
        <translation>&amp;Ouvrir Hookline</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>Hookline</source>
        <translation>Hookline</translation>
    </message>
    <message>
        <source>Hookline: %1</source>
        <translation>Hookline&#xa0;: %1</translation>
    </message>
    <message>
        <source>Hookline keeps delivering</source>
        <translation>Hookline continue ses livraisons</translation>
    </message>
    <message>
        <source>The window is closed; deliveries go on. Open it again or quit from this icon.</source>
        <translation>La fenêtre est fermée&#xa0;; les livraisons continuent. Rouvrez-la ou quittez depuis cette icône.</translation>
    </message>
</context>
<context>
    <name>hookline::UrlText</name>
    <message>
        <source>a space</source>
        <translation>une espace</translation>
    </message>
    <message>
        <source>a tab</source>
        <translation>une tabulation</translation>
    </message>
    <message>
        <source>a control character (U+%1)</source>
        <translation>un caractère de contrôle (U+%1)</translation>
    </message>
    <message>
        <source>contains %1 at character %2; a URL has none (write a space in a path or query as %20)</source>
        <translation>contient %1 à la position %2&#xa0;; une URL n’en contient jamais (écrivez une espace dans un chemin ou une requête sous la forme %20)</translation>
    </message>
    <message>
        <source>has no scheme (such as https://) before its host</source>
        <translation>doit avoir un schéma (comme https://) avant son hôte</translation>
    </message>
    <message>
        <source>has no host after %1://</source>
        <translation>doit indiquer un hôte après %1://</translation>
    </message>
    <message>
        <source>has a port, &quot;%1&quot;, that is not a number from 1 to 65535</source>
        <translation>a un port, «&#xa0;%1&#xa0;», qui n’est pas un nombre de 1 à 65535</translation>
    </message>
    <message>
        <source>has a port that is not a number from 1 to 65535</source>
        <translation>a un port qui n’est pas un nombre de 1 à 65535</translation>
    </message>
    <message>
        <source>has a host, &quot;%1&quot;, that is not a valid host name or address</source>
        <translation>a un hôte, «&#xa0;%1&#xa0;», qui n’est ni un nom d’hôte ni une adresse valide</translation>
    </message>
    <message>
        <source>has a host that is not a valid host name or address</source>
        <translation>a un hôte qui n’est ni un nom d’hôte ni une adresse valide</translation>
    </message>
    <message>
        <source>has a %-sign that is not followed by two hex digits in its path or query (write a literal % as %25)</source>
        <translation>a dans son chemin ou sa requête un signe % qui n’est pas suivi de deux chiffres hexadécimaux (écrivez un % littéral sous la forme %25)</translation>
    </message>
    <message>
        <source>has %1 in its path or query, which must be percent-encoded</source>
        <translation>contient %1 dans son chemin ou sa requête, à encoder en pourcentage</translation>
    </message>
    <message>
        <source>is not a well-formed URL</source>
        <translation>est mal formée</translation>
    </message>
</context>
<context>
    <name>hookline::VerificationCodeView</name>
    <message>
        <source>Copy co&amp;de</source>
        <translation>Copier le co&amp;de</translation>
    </message>
    <message>
        <source>Language of the verification code</source>
        <translation>Langage du code de vérification</translation>
    </message>
    <message>
        <source>Verification code</source>
        <translation>Code de vérification</translation>
    </message>
    <message>
        <source>Copies the code; the secret is not in it</source>
        <translation>Copie le code&#xa0;; le secret n’y figure pas</translation>
    </message>
    <message>
        <source>Verification code status</source>
        <translation>État du code de vérification</translation>
    </message>
    <message>
        <source>Verification code &amp;in:</source>
        <translation>Code de vérification &amp;en&#xa0;:</translation>
    </message>
    <message>
        <source>A receiver that verifies this webhook&apos;s deliveries. It reads the secret from the environment variable WEBHOOK_SECRET; the secret is never in the code.</source>
        <translation>Un destinataire qui vérifie les livraisons de ce webhook. Il lit le secret dans la variable d’environnement WEBHOOK_SECRET&#xa0;; le secret n’est jamais dans le code.</translation>
    </message>
    <message>
        <source>Copied.</source>
        <translation>Copié.</translation>
    </message>
</context>
<context>
    <name>hookline::WebhookForm</name>
    <message>
        <source>General</source>
        <translation>Général</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>A name to recognise the webhook by; defaults to the URL&apos;s host</source>
        <translation>Nom permettant de reconnaître le webhook&#xa0;; par défaut, l’hôte de l’URL</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>The receiver&apos;s endpoint: https:// and a public address unless the installation allows otherwise</source>
        <translation>Point de terminaison du destinataire&#xa0;: https:// et une adresse publique, sauf si l’installation l’autorise autrement</translation>
    </message>
    <message>
        <source>URL check</source>
        <translation>Vérification de l’URL</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>Signing scheme</source>
        <translation>Schéma de signature</translation>
    </message>
    <message>
        <source>How deliveries are signed; pick what the receiver verifies</source>
        <translation>Façon dont les livraisons sont signées&#xa0;; choisissez ce que vérifie le destinataire</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Actif</translation>
    </message>
    <message>
        <source>Inactive webhooks receive nothing</source>
        <translation>Les webhooks inactifs ne reçoivent rien</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>Locataire</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nom&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation>&amp;URL&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation>&amp;Description&#xa0;:</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Événements</translation>
    </message>
    <message>
        <source>Custom headers</source>
        <translation>En-têtes personnalisés</translation>
    </message>
    <message>
        <source>Retries</source>
        <translation>Nouvelles tentatives</translation>
    </message>
    <message>
        <source>Maximum retries</source>
        <translation>Nombre maximal de nouvelles tentatives</translation>
    </message>
    <message>
        <source>Backoff strategy</source>
        <translation>Stratégie de temporisation</translation>
    </message>
    <message>
        <source>Exponential (delay × 2ⁿ)</source>
        <translation>Exponentielle (délai × 2ⁿ)</translation>
    </message>
    <message>
        <source>Fixed delay</source>
        <translation>Délai fixe</translation>
    </message>
    <message>
        <source>Explicit schedule</source>
        <translation>Calendrier explicite</translation>
    </message>
    <message>
        <source>Retry schedule</source>
        <translation>Calendrier des nouvelles tentatives</translation>
    </message>
    <message>
        <source>Delays in seconds between attempts, comma-separated, e.g. 60, 300, 1800, 7200</source>
        <translation>Délais en secondes entre les tentatives, séparés par des virgules, p. ex. 60, 300, 1800, 7200</translation>
    </message>
    <message>
        <source>Jitter</source>
        <translation>Gigue</translation>
    </message>
    <message>
        <source>Spread each delay randomly by up to this share, so that retries do not arrive all at once</source>
        <translation>Fait varier chaque délai au hasard jusqu’à cette proportion, pour que les nouvelles tentatives n’arrivent pas toutes en même temps</translation>
    </message>
    <message>
        <source>Auto-disable after</source>
        <translation>Désactivation auto après</translation>
    </message>
    <message>
        <source>Deactivate the webhook after this many deliveries in a row fail; 0 never</source>
        <translation>Désactive le webhook après ce nombre d’échecs de livraison consécutifs&#xa0;; 0&#xa0;: jamais</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>Jamais</translation>
    </message>
    <message>
        <source>Deliveries kept</source>
        <translation>Livraisons conservées</translation>
    </message>
    <message>
        <source>Newest deliveries kept in the history of this webhook; 0 uses the installation&apos;s setting</source>
        <translation>Livraisons les plus récentes conservées dans l’historique de ce webhook&#xa0;; 0 utilise le paramètre de l’installation</translation>
    </message>
    <message>
        <source>Installation default</source>
        <translation>Valeur de l’installation</translation>
    </message>
    <message>
        <source>&amp;Backoff:</source>
        <translation>Te&amp;mporisation&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Jitter:</source>
        <translation>&amp;Gigue&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Keep deliveries:</source>
        <translation>Livraisons c&amp;onservées&#xa0;:</translation>
    </message>
    <message>
        <source>Transformation</source>
        <translation>Transformation</translation>
    </message>
    <message>
        <source>Transformation script</source>
        <translation>Script de transformation</translation>
    </message>
    <message>
        <source>Preview event type</source>
        <translation>Type d’événement de l’aperçu</translation>
    </message>
    <message>
        <source>Preview transformation</source>
        <translation>Aperçu de la transformation</translation>
    </message>
    <message>
        <source>Run the script on the sample payload of the chosen event type</source>
        <translation>Exécute le script sur la charge utile d’exemple du type d’événement choisi</translation>
    </message>
    <message>
        <source>Preview result</source>
        <translation>Résultat de l’aperçu</translation>
    </message>
    <message>
        <source>Form problem</source>
        <translation>Problème de formulaire</translation>
    </message>
    <message>
        <source>Save webhook</source>
        <translation>Enregistrer le webhook</translation>
    </message>
    <message>
        <source>Revert changes</source>
        <translation>Annuler les modifications</translation>
    </message>
    <message>
        <source>✓ Looks good. The host is resolved again before every delivery and refused if it points to a private address.</source>
        <translation>✓ Tout semble correct. L’hôte est à nouveau résolu avant chaque livraison et refusé s’il pointe vers une adresse privée.</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>Exécution…</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Erreur&#xa0;: %1</translation>
    </message>
    <message>
        <source>Si&amp;gning:</source>
        <translation>Si&amp;gnature&#xa0;:</translation>
    </message>
    <message>
        <source>Ten&amp;ant:</source>
        <translation>Loc&amp;ataire&#xa0;:</translation>
    </message>
    <message>
        <source>Ma&amp;x retries:</source>
        <translation>Nouvelles tentatives ma&amp;x.&#xa0;:</translation>
    </message>
    <message>
        <source>De&amp;lay:</source>
        <translation>Dé&amp;lai&#xa0;:</translation>
    </message>
    <message>
        <source>Schedule:</source>
        <translation>Calendrier&#xa0;:</translation>
    </message>
    <message>
        <source>Aut&amp;o-disable after:</source>
        <translation>Désactivati&amp;on auto après&#xa0;:</translation>
    </message>
    <message>
        <source>JavaScript body of a function of payload that returns the object to send (e&amp;mpty: send the event as it is):</source>
        <translation>Corps JavaScript d’une fonction de payload qui renvoie l’objet à envoyer (&amp;vide&#xa0;: l’événement est envoyé tel quel)&#xa0;:</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Aperçu</translation>
    </message>
    <message>
        <source>Sam&amp;ple event:</source>
        <translation>Événement d’e&amp;xemple&#xa0;:</translation>
    </message>
    <message>
        <source>Sa&amp;ve</source>
        <translation>&amp;Enregistrer</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>Rétablir</translation>
    </message>
    <message>
        <source>General settings problem</source>
        <translation>Problème de paramètres généraux</translation>
    </message>
    <message>
        <source>Events problem</source>
        <translation>Problème d’événements</translation>
    </message>
    <message>
        <source>First retry delay</source>
        <translation>Délai avant la première nouvelle tentative</translation>
    </message>
    <message>
        <source>Retries problem</source>
        <translation>Problème de nouvelles tentatives</translation>
    </message>
    <message>
        <source>Transformation problem</source>
        <translation>Problème de transformation</translation>
    </message>
    <message>
        <source>Enter the receiver&apos;s URL, such as https://example.com/webhooks.</source>
        <translation>Saisissez l’URL du destinataire, par exemple https://example.com/webhooks.</translation>
    </message>
    <message>
        <source>Choose at least one event type, a whole group, or all events.</source>
        <translation>Choisissez au moins un type d’événement, un groupe entier ou tous les événements.</translation>
    </message>
    <message>
        <source>The URL</source>
        <translation>L’URL</translation>
    </message>
    <message>
        <source>The name</source>
        <translation>Le nom</translation>
    </message>
    <message>
        <source>The description</source>
        <translation>La description</translation>
    </message>
    <message>
        <source>The number of retries</source>
        <translation>Le nombre de nouvelles tentatives</translation>
    </message>
    <message>
        <source>The retry delay</source>
        <translation>Le délai de nouvelle tentative</translation>
    </message>
    <message>
        <source>The retry schedule</source>
        <translation>Le calendrier des nouvelles tentatives</translation>
    </message>
    <message>
        <source>The jitter</source>
        <translation>La gigue</translation>
    </message>
    <message>
        <source>Auto-disable</source>
        <translation>Le seuil de désactivation automatique</translation>
    </message>
    <message>
        <source>The number of deliveries kept</source>
        <translation>Le nombre de livraisons conservées</translation>
    </message>
    <message>
        <source>The script</source>
        <translation>Le script</translation>
    </message>
    <message>
        <source>⚠ %1 is a %2 address: allowed by this installation&apos;s settings, for development only.</source>
        <translation>⚠ %1 est une adresse %2&#xa0;: autorisée par les paramètres de cette installation, pour le développement uniquement.</translation>
    </message>
    <message>
        <source>⚠ Plain http:// is allowed by this installation&apos;s settings, for development only. The host is resolved again before every delivery.</source>
        <translation>⚠ Le simple http:// est autorisé par les paramètres de cette installation, pour le développement uniquement. L’hôte est à nouveau résolu avant chaque livraison.</translation>
    </message>
    <message>
        <source>⚠ Plain http:// is allowed by this installation&apos;s settings, for development only. The host is resolved again before every delivery and refused if it points to a private address.</source>
        <translation>⚠ Le simple http:// est autorisé par les paramètres de cette installation, pour le développement uniquement. L’hôte est à nouveau résolu avant chaque livraison et refusé s’il pointe vers une adresse privée.</translation>
    </message>
    <message>
        <source>Deliveries go to https:// URLs on public addresses.</source>
        <translation>Les livraisons partent vers des URL https:// sur des adresses publiques.</translation>
    </message>
    <message>
        <source>Save shows what needs fixing first</source>
        <translation>Enregistrer indique d’abord ce qu’il faut corriger</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Non enregistré&#xa0;: %1</translation>
    </message>
    <message>
        <source>is </source>
        <comment>how a validation reason may start</comment>
        <translation>est </translation>
    </message>
    <message>
        <source>must </source>
        <comment>how a validation reason may start</comment>
        <translation>doit </translation>
    </message>
    <message>
        <source>Type a number and a unit, such as 30 s, 5 min or 2 h</source>
        <translation>Saisissez un nombre et une unité, par exemple 30 s, 5 min ou 2 h</translation>
    </message>
    <message>
        <source>Deliveries go to https:// or http:// URLs; this installation also allows private addresses.</source>
        <translation>Les livraisons partent vers des URL https:// ou http://&#xa0;; cette installation autorise aussi les adresses privées.</translation>
    </message>
    <message>
        <source>Deliveries go to https:// or http:// URLs on public addresses.</source>
        <translation>Les livraisons partent vers des URL https:// ou http:// sur des adresses publiques.</translation>
    </message>
    <message>
        <source>Deliveries go to https:// URLs; this installation also allows private addresses.</source>
        <translation>Les livraisons partent vers des URL https://&#xa0;; cette installation autorise aussi les adresses privées.</translation>
    </message>
    <message>
        <source>✓ Looks good. The host is resolved again before every delivery.</source>
        <translation>✓ Tout semble correct. L’hôte est à nouveau résolu avant chaque livraison.</translation>
    </message>
    <message numerus="yes">
        <source>Not saved: %n problems are marked above.</source>
        <translation>
            <numerusform>Non enregistré&#xa0;: %n problème est signalé ci-dessus.</numerusform>
            <numerusform>Non enregistré&#xa0;: %n problèmes sont signalés ci-dessus.</numerusform>
        </translation>
    </message>
    <message>
        <source>Parallel requests</source>
        <translation>Requêtes en parallèle</translation>
    </message>
    <message>
        <source>How many requests the engine may have in flight to this webhook at once; 0 uses the installation&apos;s setting</source>
        <translation>Nombre de requêtes que le moteur peut avoir en cours vers ce webhook à la fois&#xa0;; 0 reprend le réglage de l’installation</translation>
    </message>
    <message>
        <source>Parallel re&amp;quests:</source>
        <translation>Re&amp;quêtes en parallèle&#xa0;:</translation>
    </message>
    <message>
        <source>The number of parallel requests</source>
        <translation>Le nombre de requêtes en parallèle</translation>
    </message>
    <message>
        <source>has </source>
        <comment>how a validation reason may start</comment>
        <translation>a </translation>
    </message>
    <message>
        <source>contains </source>
        <comment>how a validation reason may start</comment>
        <translation>contient </translation>
    </message>
</context>
<context>
    <name>hookline::WebhookListModel</name>
    <message>
        <source>Active</source>
        <translation>Actif</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>Inactif</translation>
    </message>
    <message>
        <source>Auto-disabled</source>
        <translation>Désactivé auto.</translation>
    </message>
    <message>
        <source>Deactivated %1: %2</source>
        <translation>Désactivé le %1: %2</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>Jamais</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>%1 succeeded, %2 failed in the last 24 hours</source>
        <translation>%1 réussies, %2 échouées au cours des dernières 24 heures</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Last delivery</source>
        <translation>Dernière livraison</translation>
    </message>
    <message>
        <source>Success (24 h)</source>
        <translation>Succès (24 h)</translation>
    </message>
    <message>
        <source>No delivery finished in the last 24 hours</source>
        <translation>Aucune livraison terminée au cours des dernières 24 heures</translation>
    </message>
    <message>
        <source>Failing</source>
        <translation>En échec</translation>
    </message>
    <message>
        <source>Failing since %1</source>
        <translation>En échec depuis le %1</translation>
    </message>
</context>
<context>
    <name>hookline::WebhookService</name>
    <message>
        <source>no tenant &quot;%1&quot;</source>
        <translation>aucun locataire «&#xa0;%1&#xa0;»</translation>
    </message>
    <message numerus="yes">
        <source>tenant &quot;%1&quot; is on the %2 plan, which allows %n webhook, and has %3</source>
        <translation>
            <numerusform>le locataire «&#xa0;%1&#xa0;» a le forfait %2, qui autorise %n webhook, et en a déjà %3</numerusform>
            <numerusform>le locataire «&#xa0;%1&#xa0;» a le forfait %2, qui autorise %n webhooks, et en a déjà %3</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>tenant &quot;%1&quot; is on the %2 plan, which allows %n webhooks, and has %3</source>
        <translation>
            <numerusform>le locataire «&#xa0;%1&#xa0;» a le forfait %2, qui autorise %n webhook, et en a déjà %3</numerusform>
            <numerusform>le locataire «&#xa0;%1&#xa0;» a le forfait %2, qui autorise %n webhooks, et en a déjà %3</numerusform>
        </translation>
    </message>
    <message>
        <source>must be between 0 and 2592000 seconds (30 days)</source>
        <translation>doit être compris entre 0 et 2592000 secondes (30 jours)</translation>
    </message>
    <message>
        <source>no webhook with id &quot;%1&quot;</source>
        <translation>aucun webhook avec l’identifiant «&#xa0;%1&#xa0;»</translation>
    </message>
    <message>
        <source>%1 (inspector)</source>
        <translation>%1 (inspecteur)</translation>
    </message>
    <message>
        <source>A copy of %1 pointed at the request inspector; the original is untouched.</source>
        <translation>Une copie de %1 qui pointe vers l’inspecteur de requêtes&#xa0;; l’original n’est pas modifié.</translation>
    </message>
</context>
<context>
    <name>hookline::WebhookStore</name>
    <message>
        <source>reading subscriptions</source>
        <translation>lecture des abonnements</translation>
    </message>
    <message>
        <source>reading custom headers</source>
        <translation>lecture des en-têtes personnalisés</translation>
    </message>
    <message>
        <source>reading secrets</source>
        <translation>lecture des secrets</translation>
    </message>
    <message>
        <source>reading a webhook</source>
        <translation>lecture d’un webhook</translation>
    </message>
    <message>
        <source>listing webhooks</source>
        <translation>liste des webhooks</translation>
    </message>
    <message>
        <source>counting webhooks</source>
        <translation>décompte des webhooks</translation>
    </message>
    <message>
        <source>replacing a webhook&apos;s lists</source>
        <translation>remplacement des listes d’un webhook</translation>
    </message>
    <message>
        <source>saving a subscription</source>
        <translation>enregistrement d’un abonnement</translation>
    </message>
    <message>
        <source>saving a custom header</source>
        <translation>enregistrement d’un en-tête personnalisé</translation>
    </message>
    <message>
        <source>creating a webhook</source>
        <translation>création d’un webhook</translation>
    </message>
    <message>
        <source>saving a webhook secret</source>
        <translation>enregistrement d’un secret de webhook</translation>
    </message>
    <message>
        <source>updating a webhook</source>
        <translation>mise à jour d’un webhook</translation>
    </message>
    <message>
        <source>deleting a webhook</source>
        <translation>suppression d’un webhook</translation>
    </message>
    <message>
        <source>expiring the old secret</source>
        <translation>expiration de l’ancien secret</translation>
    </message>
    <message>
        <source>updating the webhook</source>
        <translation>mise à jour du webhook</translation>
    </message>
    <message>
        <source>webhook %1 has the unknown signing scheme &quot;%2&quot; in the database</source>
        <translation>le webhook %1 a le schéma de signature inconnu «&#xa0;%2&#xa0;» dans la base de données</translation>
    </message>
    <message>
        <source>webhook %1 has the unknown backoff strategy &quot;%2&quot; in the database</source>
        <translation>le webhook %1 a la stratégie de temporisation inconnue «&#xa0;%2&#xa0;» dans la base de données</translation>
    </message>
    <message>
        <source>reading webhook addresses</source>
        <translation>lecture des adresses des webhooks</translation>
    </message>
    <message>
        <source>the master key is not loaded: secrets cannot be read</source>
        <translation>la clé maîtresse n’est pas chargée&#xa0;: les secrets ne peuvent pas être lus</translation>
    </message>
    <message>
        <source>secret %1 of webhook %2 does not open with the master key (fingerprint %3): another key, or the row was altered or moved; was the key changed by &quot;secrets rekey&quot; in another process? Restart this one</source>
        <translation>le secret %1 du webhook %2 ne s’ouvre pas avec la clé maîtresse (empreinte %3)&#xa0;: autre clé, ou ligne modifiée ou déplacée&#xa0;; la clé a-t-elle été changée par «&#xa0;secrets rekey&#xa0;» dans un autre processus&#xa0;? Redémarrez celui-ci</translation>
    </message>
    <message>
        <source>the master key is not loaded: secrets cannot be saved</source>
        <translation>la clé maîtresse n’est pas chargée&#xa0;: les secrets ne peuvent pas être enregistrés</translation>
    </message>
    <message>
        <source>saving a webhook secret: no row id came back</source>
        <translation>enregistrement d’un secret de webhook&#xa0;: aucun identifiant de ligne n’a été renvoyé</translation>
    </message>
    <message>
        <source>encrypting a webhook secret failed</source>
        <translation>le chiffrement d’un secret de webhook a échoué</translation>
    </message>
    <message>
        <source>retiring the oldest secrets</source>
        <translation>retrait des secrets les plus anciens</translation>
    </message>
</context>
<context>
    <name>hookline::WebhookValidator</name>
    <message>
        <source>is required</source>
        <translation>est obligatoire</translation>
    </message>
    <message>
        <source>is longer than %1 characters</source>
        <translation>dépasse %1 caractères</translation>
    </message>
    <message>
        <source>must not carry a user name or password; send credentials in a custom header</source>
        <translation>ne doit contenir ni nom d’utilisateur ni mot de passe&#xa0;; envoyez les identifiants dans un en-tête personnalisé</translation>
    </message>
    <message>
        <source>must not have a #fragment</source>
        <translation>ne doit pas avoir de #fragment</translation>
    </message>
    <message>
        <source>must use https:// (plain http:// is allowed only when the setting allowInsecureUrls is true)</source>
        <translation>doit utiliser https:// (le simple http:// n’est autorisé que si le paramètre allowInsecureUrls vaut true)</translation>
    </message>
    <message>
        <source>host %1 is a %2 address, refused to prevent server-side request forgery (allowed only when the setting allowPrivateAddresses is true)</source>
        <translation>l’hôte %1 est une adresse %2, refusée pour empêcher la falsification de requêtes côté serveur (autorisée seulement si le paramètre allowPrivateAddresses vaut true)</translation>
    </message>
    <message>
        <source>subscribe to at least one event type (a name, &quot;group.*&quot; or &quot;*&quot;)</source>
        <translation>abonnez-vous à au moins un type d’événement (un nom, &quot;group.*&quot; ou &quot;*&quot;)</translation>
    </message>
    <message>
        <source>&quot;%1&quot;: no event type in the catalog belongs to the group &quot;%2&quot;</source>
        <translation>«&#xa0;%1&#xa0;»&#xa0;: aucun type d’événement du catalogue n’appartient au groupe «&#xa0;%2&#xa0;»</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not in the event catalog (see event-types list)</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas dans le catalogue d’événements (voir event-types list)</translation>
    </message>
    <message>
        <source>at most %1 custom headers</source>
        <translation>%1 en-têtes personnalisés au maximum</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid header name (letters, digits and !#$%&amp;&apos;*+.^_`|~- only)</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas un nom d’en-tête valide (lettres, chiffres et !#$%&amp;&apos;*+.^_`|~- uniquement)</translation>
    </message>
    <message>
        <source>%1 is set by Hookline and cannot be a custom header</source>
        <translation>%1 est défini par Hookline et ne peut pas être un en-tête personnalisé</translation>
    </message>
    <message>
        <source>%1 is given twice</source>
        <translation>%1 figure deux fois</translation>
    </message>
    <message>
        <source>the value of %1 is longer than %2 characters</source>
        <translation>la valeur de %1 dépasse %2 caractères</translation>
    </message>
    <message>
        <source>the value of %1 contains a line break or NUL</source>
        <translation>la valeur de %1 contient un saut de ligne ou un caractère NUL</translation>
    </message>
    <message>
        <source>must be between 0 and %1</source>
        <translation>doit être compris entre 0 et %1</translation>
    </message>
    <message>
        <source>must be between %1 and %2 seconds</source>
        <translation>doit être compris entre %1 et %2 secondes</translation>
    </message>
    <message>
        <source>at most %1 entries</source>
        <translation>%1 entrées au maximum</translation>
    </message>
    <message>
        <source>every delay must be between 0 and %1 seconds</source>
        <translation>chaque délai doit être compris entre 0 et %1 secondes</translation>
    </message>
    <message>
        <source>is %1 but the schedule has %2 entries: with a schedule, one retry per entry</source>
        <translation>vaut %1 mais le calendrier a %2 entrées&#xa0;: avec un calendrier, une nouvelle tentative par entrée</translation>
    </message>
    <message>
        <source>must be a fraction between 0 and 1</source>
        <translation>doit être une fraction comprise entre 0 et 1</translation>
    </message>
    <message>
        <source>must be between 0 (never) and %1</source>
        <translation>doit être compris entre 0 (jamais) et %1</translation>
    </message>
    <message>
        <source>must be 8 to 256 characters</source>
        <translation>doit compter de 8 à 256 caractères</translation>
    </message>
    <message>
        <source>is not a Standard Webhooks secret (whsec_ + base64): %1</source>
        <translation>n’est pas un secret Standard Webhooks (whsec_ + base64)&#xa0;: %1</translation>
    </message>
    <message>
        <source>decodes to %1 bytes; the standard scheme needs 16 to 64</source>
        <translation>se décode en %1 octets&#xa0;; le schéma standard en demande de 16 à 64</translation>
    </message>
    <message>
        <source>is longer than 200 characters</source>
        <translation>dépasse 200 caractères</translation>
    </message>
    <message>
        <source>is longer than 2000 characters</source>
        <translation>dépasse 2000 caractères</translation>
    </message>
    <message>
        <source>must be between 1 and 10000000 deliveries</source>
        <translation>doit être compris entre 1 et 10000000 livraisons</translation>
    </message>
    <message>
        <source>must not contain a tab, a line break or another control character</source>
        <translation>ne doit contenir ni tabulation, ni saut de ligne, ni autre caractère de contrôle</translation>
    </message>
    <message>
        <source>must not start or end with a space</source>
        <translation>ne doit ni commencer ni finir par une espace</translation>
    </message>
    <message>
        <source>must be between 1 and %1 requests</source>
        <translation>doit être compris entre 1 et %1 requêtes</translation>
    </message>
    <message>
        <source> (got &quot;%1://&quot;)</source>
        <translation> («&#xa0;%1://&#xa0;» reçu)</translation>
    </message>
    <message>
        <source> (it has no scheme)</source>
        <translation> (elle n’a pas de schéma)</translation>
    </message>
    <message>
        <source>must start with https:// or http://</source>
        <translation>doit commencer par https:// ou http://</translation>
    </message>
    <message>
        <source>must start with https://</source>
        <translation>doit commencer par https://</translation>
    </message>
    <message>
        <source>an inspector copy points at the request inspector on loopback (http://127.0.0.1:PORT/…) only</source>
        <translation>une copie d’inspection ne pointe que vers l’inspecteur de requêtes en boucle locale (http://127.0.0.1:PORT/…)</translation>
    </message>
</context>
<context>
    <name>hookline::sql</name>
    <message>
        <source>database error while %1: %2</source>
        <translation>erreur de base de données (%1)&#xa0;: %2</translation>
    </message>
    <message>
        <source>could not start a transaction: %1</source>
        <translation>impossible de démarrer une transaction&#xa0;: %1</translation>
    </message>
    <message>
        <source>could not commit: %1</source>
        <translation>impossible de valider la transaction&#xa0;: %1</translation>
    </message>
    <message>
        <source>waking the delivery engines</source>
        <translation>réveil des moteurs de livraison</translation>
    </message>
</context>
</TS>
