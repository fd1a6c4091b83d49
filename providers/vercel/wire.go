package vercel

// errorBody is Vercel's error envelope (REST API "Errors"):
// {"error":{"code":"forbidden","message":"Not authorized","invalidToken":true}}.
type errorBody struct {
	Error *struct {
		Code         string `json:"code"`
		Message      string `json:"message"`
		InvalidToken bool   `json:"invalidToken"`
	} `json:"error"`
}

// pagination is the cursor of a list answer: next is the timestamp to
// send as "until" for the following page, null on the last.
type pagination struct {
	Count int    `json:"count"`
	Next  *int64 `json:"next"`
}

// domainsResponse is List all the domains' answer (GET /v5/domains).
type domainsResponse struct {
	Domains []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"domains"`
	Pagination pagination `json:"pagination"`
}

// recordJSON is a DNS record as Vercel lists it; Name is relative to the
// domain, "" for the apex.
type recordJSON struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Type    string `json:"type"`
	Value   string `json:"value"`
	TTL     int32  `json:"ttl"`
	Comment string `json:"comment"`
}

// recordsResponse is List existing DNS records' answer (GET
// /v4/domains/{domain}/records with a limit).
type recordsResponse struct {
	Records    []recordJSON `json:"records"`
	Pagination pagination   `json:"pagination"`
}

// createResponse is Create a DNS record's answer.
type createResponse struct {
	UID string `json:"uid"`
}
