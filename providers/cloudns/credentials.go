package cloudns

import (
	"net/url"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/secretdata"
)

// FromSecretData reads the credentials from a Secret's data: exactly one
// of authId, subAuthId and subAuthUser, and authPassword. It returns them
// as the form parameters every call carries.
func FromSecretData(data map[string][]byte) (url.Values, error) {
	out := url.Values{}
	for key, param := range map[string]string{AuthIDKey: "auth-id", SubAuthIDKey: "sub-auth-id", SubAuthUserKey: "sub-auth-user"} {
		v, err := providers.OptionalSecretValue(data, key)
		if err != nil {
			return nil, err
		}
		if v != "" {
			out.Set(param, v)
		}
	}
	switch len(out) {
	case 0:
		return nil, providers.Errorf(providers.KindCredentials, "", "secret has none of the keys %q, %q and %q: set the API user's ID or a sub-user's ID or name", AuthIDKey, SubAuthIDKey, SubAuthUserKey)
	case 1:
	default:
		return nil, providers.MalformedKey(AuthIDKey, "the Secret holds more than one of authId, subAuthId and subAuthUser; keep the one the password belongs to")
	}
	password, err := secretdata.Value(data, PasswordKey)
	if err != nil {
		return nil, err
	}
	out.Set("auth-password", password)
	return out, nil
}
