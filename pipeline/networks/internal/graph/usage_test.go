package graph

import (
	"net/http"
	"testing"
	"time"
)

func TestRegainAccess(t *testing.T) {
	for _, tt := range []struct {
		name     string
		buc, app string
		want     time.Duration
	}{
		{"none", "", "", 0},
		{"business use case, the longest of all", `{"1234":[{"type":"pages","call_count":100,"estimated_time_to_regain_access":2},{"estimated_time_to_regain_access":5}],"99":[{"estimated_time_to_regain_access":3}]}`, "", 5 * time.Minute},
		{"fractional minutes", `{"1":[{"estimated_time_to_regain_access":1.5}]}`, "", 90 * time.Second},
		{"app usage", "", `{"call_count":100,"total_cputime":20,"total_time":30,"estimated_time_to_regain_access":7}`, 7 * time.Minute},
		{"not JSON", "garbage", "{", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.buc != "" {
				h.Set("X-Business-Use-Case-Usage", tt.buc)
			}
			if tt.app != "" {
				h.Set("X-App-Usage", tt.app)
			}
			if got := RegainAccess(h); got != tt.want {
				t.Errorf("RegainAccess = %v, want %v", got, tt.want)
			}
		})
	}
}
