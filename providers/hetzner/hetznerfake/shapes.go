package hetznerfake

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

func pagination(page, size, total int) map[string]any {
	last := max((total+size-1)/size, 1)
	p := map[string]any{"page": page, "per_page": size, "previous_page": nil, "next_page": nil, "last_page": last, "total_entries": total}
	if page > 1 {
		p["previous_page"] = page - 1
	}
	if page < last {
		p["next_page"] = page + 1
	}
	return map[string]any{"pagination": p}
}

func zoneJSON(z *providertest.Zone[struct{}]) map[string]any {
	id, _ := strconv.ParseInt(z.ID, 10, 64)
	return map[string]any{
		"id": id, "name": z.Name, "created": "2025-10-01T09:00:00Z", "mode": "primary", "ttl": ZoneTTL,
		"labels": map[string]string{}, "primary_nameservers": []any{}, "protection": map[string]bool{"delete": false},
		"record_count": len(z.Records), "registrar": "other", "status": "ok",
		"authoritative_nameservers": map[string]any{"assigned": []string{"hydrogen.ns.hetzner.com.", "oxygen.ns.hetzner.com.", "helium.ns.hetzner.de."},
			"delegated": []string{}, "delegation_last_check": nil, "delegation_status": "unknown"},
	}
}

func rrsetJSON(z *providertest.Zone[struct{}], set providers.RecordSet) map[string]any {
	id, _ := strconv.ParseInt(z.ID, 10, 64)
	rel := providers.RelativeName(set.Name, z.Name)
	var ttl any
	if set.TTL > 0 {
		ttl = set.TTL
	}
	recs := make([]map[string]string, 0, len(set.Values))
	for _, v := range set.Values {
		recs = append(recs, map[string]string{"value": v.Value, "comment": v.Marker})
	}
	return map[string]any{"id": rel + "/" + set.Type, "name": rel, "type": set.Type, "ttl": ttl, "labels": map[string]string{},
		"protection": map[string]bool{"change": false}, "records": recs, "zone": id}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

func invalid(rw http.ResponseWriter, field, message string) {
	writeError(rw, http.StatusUnprocessableEntity, "invalid_input", "invalid input in field '"+field+"'",
		map[string]any{"fields": []map[string]any{{"name": field, "messages": []string{message}}}})
}

func writeError(rw http.ResponseWriter, status int, code, message string, details any) {
	if details == nil {
		details = map[string]any{}
	}
	writeJSON(rw, status, map[string]any{"error": map[string]any{"code": code, "message": message, "details": details}})
}

func writeJSON(rw http.ResponseWriter, status int, v any) {
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(status)
	_ = json.NewEncoder(rw).Encode(v)
}
