#!/usr/bin/env node
// Writes N events for the benchmark as JSON Lines for `hookline-cli emit --batch`:
// lead.created events shaped like seed 003's, 400-700 bytes of data each,
// deterministic (a fixed-seed generator), so that every run posts the same bytes.
//
//   node make_events.mjs N > events.jsonl
const n = Number(process.argv[2] ?? 2000);
let seed = 0x2545f491;
const rand = () => {
    seed ^= seed << 13; seed >>>= 0;
    seed ^= seed >>> 17;
    seed ^= seed << 5; seed >>>= 0;
    return seed / 0x100000000;
};
const pick = (a) => a[Math.floor(rand() * a.length)];
const first = ['Jean', 'Élodie', 'Marc', 'Sofia', 'Yuki', 'Amine', 'Zoë', 'Lars', 'Ana', 'Olu'];
const last = ['Dupont', 'Martin', 'Müller', 'García', 'Tanaka', 'Haddad', 'Okafor', 'Nguyen', 'Rossi', 'Novak'];
const statuses = ['nouveau', 'contacté', 'qualifié', 'perdu', 'gagné'];
const sources = ['web', 'salon', 'partenaire', 'téléphone', 'import'];
const lines = [];
for (let i = 0; i < n; i++) {
    const f = pick(first);
    const l = pick(last);
    const id = [8, 4, 4, 4, 12].map((k) => Array.from({ length: k }, () => Math.floor(rand() * 16).toString(16)).join('')).join('-');
    const data = {
        id,
        nom: l,
        prenom: f,
        email: `${f}.${l}.${i}@example.com`.toLowerCase(),
        telephone: `+336${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`,
        statut: pick(statuses),
        source: pick(sources),
        score: Math.round(rand() * 10000) / 100,
        tags: Array.from({ length: 1 + Math.floor(rand() * 4) }, () => pick(['b2b', 'urgent', 'vip', 'relance', 'newsletter', 'rgpd'])),
        adresse: { rue: `${1 + Math.floor(rand() * 200)} rue de la Paix`, ville: pick(['Paris', 'Lyon', 'Lille', 'Nantes']), cp: String(10000 + Math.floor(rand() * 85000)) },
        notes: 'Rappeler après le salon; intéressé par l\'offre annuelle. '.repeat(1 + Math.floor(rand() * 4)),
        created_at: new Date(Date.UTC(2026, 0, 1) + i * 60000).toISOString(),
    };
    lines.push(JSON.stringify({ event: 'lead.created', data }));
}
process.stdout.write(lines.join('\n') + '\n');
