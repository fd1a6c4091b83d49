// Package access is the provider-access layer: everything between the
// reconciler's decision (a providers.Plan for one record) and the
// provider's API. It never decides; it carries out, shares and paces.
//
// # Accounts
//
// Records whose Secret, provider and options block are the same share one
// Account (Pool.Account): one provider client built from the Secret, one
// gate pacing every request to the provider's documented limit
// (Descriptor.Limits) and bounding the calls in flight, the zones their
// names were found in, and one snapshot per zone and record type. An
// account lives until the Secret watch reports its Secret changed
// (Pool.SecretChanged) or had to start afresh (Pool.SecretsMayHaveChanged);
// a periodic check therefore reads no Secret and builds no client. The gate
// outlives a rotation of the Secret, since the provider keeps counting the
// requests of that credential name.
//
// # Reads
//
// At a provider that lists whole zones (providers.ZoneReader), the first
// record of a zone checked within its interval lists the zone once; the
// others of that zone read the snapshot (Account.Records). A snapshot too
// old to say that a name is free is read again before a create, so a record
// made by hand a moment ago is adopted rather than duplicated: in the
// record's reconcile, or, for a zone with a batch queue, once for the whole
// batch when it is sent (the reconcile does not wait for that list). Writes
// made while a list is under way are applied to its answer too, which may
// predate them. What must not
// rest on an older read (which records to delete) reads the name itself
// (Account.RecordsNow).
//
// # The life of a change
//
// Account.Apply carries out one record's plan. At most providers it does so
// at once, one write at a time (create or update first, then remove the
// duplicates, so the name never goes dark), and returns the Outcome.
//
// At a provider with a batch endpoint (providers.BatchWriter) the plan
// joins its zone's queue instead, and Apply reports it queued:
//
//  1. The reconcile that queued it ends there, its status as it was: the
//     record shows Reconciling until the change is sent.
//  2. The queue sends when it holds a full batch (the provider's MaxBatch
//     writes) or when no change joined it for batchLinger (an address
//     change enqueues every record of a zone within milliseconds), at the
//     latest batchMaxWait after its first change. A create planned from
//     a snapshot older than createFreshness is checked against a new list
//     first; one whose name now holds a record is not sent, and its record
//     plans again (Outcome.Replan). One request carries
//     every change; if the provider refuses it for one change's sake, the
//     changes are sent one by one, so each record gets its own answer.
//  3. Each record whose change was sent is woken (Pool.Wake enqueues it).
//     Its next reconcile takes the Outcome with Account.Applied, reports
//     it (events, status), then reads the zone, which now holds the change,
//     and finds nothing left to do.
//
// A record queued again before its change was sent replaces its queued
// change; a record deleted, or planning in another zone, is forgotten
// (Pool.Forget), so a stale change is never sent.
package access
