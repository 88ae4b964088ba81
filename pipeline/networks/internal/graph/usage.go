// Package graph holds what the clients of Meta's Graph APIs (Facebook
// Pages, Instagram, Threads) read the same way.
package graph

import (
	"encoding/json"
	"net/http"
	"time"
)

// usage is one entry of Meta's usage headers: percentages of the limits
// spent, and, once throttled, the minutes until calls are taken again.
type usage struct {
	CallCount                   float64 `json:"call_count"`
	TotalCPUTime                float64 `json:"total_cputime"`
	TotalTime                   float64 `json:"total_time"`
	EstimatedTimeToRegainAccess float64 `json:"estimated_time_to_regain_access"`
}

// RegainAccess is the longest estimated_time_to_regain_access of the
// X-Business-Use-Case-Usage header (an object of business ids, each with
// a list of usages) and of X-App-Usage (one usage), 0 when none says.
// Meta gives it in minutes, possibly fractional.
func RegainAccess(h http.Header) time.Duration {
	var minutes float64
	var buc map[string][]usage
	if json.Unmarshal([]byte(h.Get("X-Business-Use-Case-Usage")), &buc) == nil {
		for _, list := range buc {
			for _, u := range list {
				minutes = max(minutes, u.EstimatedTimeToRegainAccess)
			}
		}
	}
	var app usage
	if json.Unmarshal([]byte(h.Get("X-App-Usage")), &app) == nil {
		minutes = max(minutes, app.EstimatedTimeToRegainAccess)
	}
	return time.Duration(minutes * float64(time.Minute))
}
