package v1alpha1

// Condition types, following the kstatus conventions: Ready is normal-true,
// Reconciling and Stalled are abnormal-true and absent when all is well.
const (
	// ConditionReady is True when the provider holds exactly the desired record.
	ConditionReady = "Ready"
	// ConditionReconciling is True while the operator is working towards the
	// desired state, including retries after a transient error.
	ConditionReconciling = "Reconciling"
	// ConditionStalled is True when progress needs a user: a missing Secret,
	// rejected credentials, an unknown zone, a value the provider refuses or a
	// conflict with another resource. The operator does not retry in a loop;
	// it checks again at spec.interval or when the Secret changes.
	ConditionStalled = "Stalled"
)

// Reasons used on the conditions above. Each names something a user can
// look up in the README's troubleshooting table.
const (
	// ReasonSynced: the provider holds the desired record.
	ReasonSynced = "Synced"
	// ReasonProgressing: the operator is working on a new generation.
	ReasonProgressing = "Progressing"
	// ReasonSecretNotFound: spec.secretRef names a Secret that does not exist.
	ReasonSecretNotFound = "SecretNotFound"
	// ReasonInvalidCredentials: the Secret lacks a key the provider needs, or
	// a key's value is malformed. The message names the key.
	ReasonInvalidCredentials = "InvalidCredentials"
	// ReasonAuthenticationFailed: the provider rejected the credentials.
	ReasonAuthenticationFailed = "AuthenticationFailed"
	// ReasonZoneNotFound: no zone at the provider holds spec.domain.
	ReasonZoneNotFound = "ZoneNotFound"
	// ReasonInvalidRecord: the provider refused the record's value or
	// settings (a TTL below the plan's minimum, an unknown line); the message
	// keeps the provider's own words.
	ReasonInvalidRecord = "InvalidRecord"
	// ReasonRateLimited: the provider asked the operator to slow down; it
	// retries after the time the provider gave.
	ReasonRateLimited = "RateLimited"
	// ReasonProviderUnavailable: a transient provider or network error; the
	// operator retries with backoff.
	ReasonProviderUnavailable = "ProviderUnavailable"
	// ReasonAddressUnavailable: no egress address of the record's family is
	// known yet (no route, or the detector's sources disagree).
	ReasonAddressUnavailable = "AddressUnavailable"
	// ReasonSourcesDisagree: the egress sources disagree and no quorum
	// forms; the record keeps the last agreed address and nothing new is
	// published until they agree.
	ReasonSourcesDisagree = "SourcesDisagree"
	// ReasonConflict: another, older DynamicDNSRecord already manages this
	// name and type, or the record at the provider carries another
	// installation's ownership marker (see spec.takeOwnership); the message
	// names the owner.
	ReasonConflict = "Conflict"
	// ReasonUnknownProvider: spec.provider names a provider this build of the
	// operator does not have.
	ReasonUnknownProvider = "UnknownProvider"
	// ReasonDeprecatedProvider: the record's provider still works but is
	// deprecated (an event, and a note on the Ready message, say why and
	// what to move to).
	ReasonDeprecatedProvider = "DeprecatedProvider"
)
