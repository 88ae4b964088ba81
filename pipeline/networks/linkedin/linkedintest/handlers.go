package linkedintest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// reserved are the characters of the little text format that stand for
// themselves only escaped.
const reserved = `|{}@[]()<>#\*_~`

// little reads commentary as LinkedIn does, and reports the first
// reserved character left unescaped (-1 when none).
func little(commentary string) (string, int) {
	var b strings.Builder
	rs := []rune(commentary)
	for i := 0; i < len(rs); i++ {
		if rs[i] == '\\' && i+1 < len(rs) && strings.ContainsRune(reserved, rs[i+1]) {
			b.WriteRune(rs[i+1])
			i++
			continue
		}
		if strings.ContainsRune(reserved, rs[i]) {
			return b.String(), i
		}
		b.WriteRune(rs[i])
	}
	return b.String(), -1
}

// createPost is the body of POST /rest/posts, read strictly.
type createPost struct {
	Author       *string `json:"author"`
	Commentary   *string `json:"commentary"`
	Visibility   *string `json:"visibility"`
	Distribution *struct {
		FeedDistribution               string   `json:"feedDistribution"`
		TargetEntities                 []string `json:"targetEntities"`
		ThirdPartyDistributionChannels []string `json:"thirdPartyDistributionChannels"`
	} `json:"distribution"`
	Content *struct {
		Media *struct {
			ID      string `json:"id"`
			AltText string `json:"altText"`
			Title   string `json:"title"`
		} `json:"media"`
		MultiImage *struct {
			Images []struct {
				ID      string `json:"id"`
				AltText string `json:"altText"`
			} `json:"images"`
		} `json:"multiImage"`
	} `json:"content"`
	LifecycleState            *string `json:"lifecycleState"`
	IsReshareDisabledByAuthor *bool   `json:"isReshareDisabledByAuthor"`
}

func (s *Server) handle(w http.ResponseWriter, name, key, rawQuery string, body map[string]any, data []byte) {
	s.t.Helper()
	q, _ := params(rawQuery)
	switch name {
	case "posts.create":
		s.createPost(w, data)
	case "posts.finder":
		s.finder(w, q)
	case "images.initializeUpload":
		s.initializeUpload(w, q, data)
	case "upload":
		s.upload(w, key, data)
	case "videos.initializeUpload":
		s.initializeVideo(w, q, data)
	case "videoUpload":
		s.uploadVideoPart(w, key, data)
	case "videos.finalizeUpload":
		s.finalizeVideo(w, q, data)
	case "videos.get":
		s.getVideo(w, key)
	case "shareStatistics":
		s.shareStatistics(w, q)
	case "socialActions":
		p := s.post(s.urn(name, key))
		if p == nil {
			s.fail(w, http.StatusNotFound, "NOT_FOUND", "Not Found")
			return
		}
		s.json(w, http.StatusOK, map[string]any{"$URN": "urn:li:socialActions:" + p.ID, "target": p.ID,
			"likesSummary":    map[string]any{"totalLikes": p.Likes, "aggregatedTotalLikes": p.Likes, "likedByCurrentUser": false},
			"commentsSummary": map[string]any{"totalFirstLevelComments": p.Comments, "aggregatedTotalComments": p.Comments}})
	case "networkSizes":
		if s.urn(name, key) != s.Author || !s.isOrg() {
			s.errorf("networkSizes: %s is not the organization %s", key, s.Author)
		}
		if q["edgeType"] != "COMPANY_FOLLOWED_BY_MEMBER" {
			s.errorf("networkSizes: edgeType %q, want COMPANY_FOLLOWED_BY_MEMBER", q["edgeType"])
			s.fail(w, http.StatusBadRequest, "ILLEGAL_ARGUMENT", "invalid edgeType")
			return
		}
		s.json(w, http.StatusOK, map[string]any{"firstDegreeSize": s.Followers})
	case "organizations":
		if !s.isOrg() || key != s.authorID() {
			s.fail(w, http.StatusForbidden, "ACCESS_DENIED", "Not enough permissions to access: organizations.GET")
			return
		}
		id, _ := strconv.ParseInt(key, 10, 64)
		s.json(w, http.StatusOK, map[string]any{"id": id, "localizedName": s.Name, "vanityName": "maison-exemple"})
	case "userinfo":
		sub := s.Sub
		if sub == "" && !s.isOrg() {
			sub = s.authorID()
		}
		s.json(w, http.StatusOK, map[string]any{"sub": sub, "name": s.Name, "locale": map[string]string{"country": "FR", "language": "fr"}})
	}
}

func (s *Server) createPost(w http.ResponseWriter, data []byte) {
	s.t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p createPost
	if err := dec.Decode(&p); err != nil {
		s.errorf("posts.create: %v", err)
		s.fail(w, http.StatusUnprocessableEntity, "UNPROCESSABLE_ENTITY", err.Error())
		return
	}
	if p.Author == nil || p.Commentary == nil || p.Visibility == nil || p.Distribution == nil || p.LifecycleState == nil {
		s.errorf("posts.create: author, commentary, visibility, distribution and lifecycleState are required: %s", data)
		s.fail(w, http.StatusUnprocessableEntity, "UNPROCESSABLE_ENTITY", "field is required but not found and has no default value")
		return
	}
	if *p.Author != s.Author {
		s.fail(w, http.StatusForbidden, "ACCESS_DENIED", "Not enough permissions to access: partnerApiPostsExternal.CREATE")
		return
	}
	d := p.Distribution
	if *p.Visibility != "PUBLIC" || *p.LifecycleState != "PUBLISHED" || d.FeedDistribution != "MAIN_FEED" ||
		d.TargetEntities == nil || d.ThirdPartyDistributionChannels == nil || p.IsReshareDisabledByAuthor == nil {
		s.errorf("posts.create: want a PUBLIC, PUBLISHED post in the MAIN_FEED, with targetEntities, thirdPartyDistributionChannels and isReshareDisabledByAuthor: %s", data)
	}
	text, at := little(*p.Commentary)
	if at >= 0 {
		s.errorf("posts.create: commentary %q has an unescaped reserved character at rune %d: LinkedIn would read it as little markup", *p.Commentary, at)
	}
	if utf8.RuneCountInString(text) > 3000 {
		s.fail(w, http.StatusUnprocessableEntity, "UNPROCESSABLE_ENTITY", "commentary is longer than 3000 characters")
		return
	}
	post := &Post{Author: s.Author, Commentary: *p.Commentary, Text: text, CreatedAt: s.now()}
	if c := p.Content; c != nil && c.Media != nil && strings.HasPrefix(c.Media.ID, "urn:li:video:") {
		v := s.videos[c.Media.ID]
		switch {
		case c.MultiImage != nil || c.Media.AltText != "":
			s.errorf("posts.create: a video post holds content.media alone, with an id and a title: %s", data)
		case v == nil || s.status(v) != statusAvailable:
			s.errorf("posts.create: video %q is not AVAILABLE", c.Media.ID)
			s.fail(w, http.StatusBadRequest, "INVALID_CONTENT", "video not found or not processed")
			return
		case strings.TrimSpace(c.Media.Title) == "":
			s.errorf("posts.create: video %s has no title", c.Media.ID)
		}
		post.Video, post.Title = c.Media.ID, c.Media.Title
	} else if c != nil {
		type img struct{ id, alt string }
		var imgs []img
		switch {
		case c.Media != nil && c.MultiImage == nil:
			imgs = append(imgs, img{c.Media.ID, c.Media.AltText})
		case c.MultiImage != nil && c.Media == nil:
			post.Multi = true
			if n := len(c.MultiImage.Images); n < 2 || n > 20 {
				s.errorf("posts.create: a multiImage post holds 2 to 20 images, not %d", n)
			}
			for _, i := range c.MultiImage.Images {
				imgs = append(imgs, img{i.ID, i.AltText})
			}
		default:
			s.errorf("posts.create: content holds media or multiImage: %s", data)
		}
		for _, i := range imgs {
			im := s.images[i.id]
			if im == nil || im.Data == nil {
				s.errorf("posts.create: image %q was not uploaded", i.id)
				s.fail(w, http.StatusBadRequest, "INVALID_CONTENT", "image not found or not uploaded")
				return
			}
			if utf8.RuneCountInString(i.alt) > 4086 {
				s.errorf("posts.create: altText of %s is longer than 4086 characters", i.id)
			}
			post.Images, post.AltTexts = append(post.Images, i.id), append(post.AltTexts, i.alt)
		}
	}
	s.next++
	post.ID = fmt.Sprintf("urn:li:share:70000000000000%05d", s.next)
	s.posts = append(s.posts, post)
	w.Header().Set("x-restli-id", post.ID)
	w.Header().Set("X-RestLi-Protocol-Version", "2.0.0")
	w.WriteHeader(http.StatusCreated)
}

// finder is GET /rest/posts?q=author: the author's posts, the most
// recently modified first.
func (s *Server) finder(w http.ResponseWriter, q map[string]string) {
	s.t.Helper()
	if q["q"] != "author" {
		s.errorf("posts.finder: q=%q, want author", q["q"])
	}
	author := s.urn("posts.finder", q["author"])
	if author != s.Author {
		s.fail(w, http.StatusForbidden, "ACCESS_DENIED", "Not enough permissions to access: partnerApiPostsExternal.FINDER-author")
		return
	}
	if v, ok := q["sortBy"]; ok && v != "LAST_MODIFIED" && v != "CREATED" {
		s.errorf("posts.finder: sortBy %q, want LAST_MODIFIED or CREATED", v)
	}
	count, start := 10, 0
	if v, ok := q["count"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			s.errorf("posts.finder: count %q, want 1 to 100", v)
		}
		count = n
	}
	if v, ok := q["start"]; ok {
		start, _ = strconv.Atoi(v)
	}
	var elems []any
	for i := len(s.posts) - 1 - start; i >= 0 && len(elems) < count; i-- {
		p := s.posts[i]
		ms := p.CreatedAt.UnixMilli()
		e := map[string]any{"id": p.ID, "author": p.Author, "commentary": p.Commentary, "visibility": "PUBLIC",
			"lifecycleState": "PUBLISHED", "createdAt": ms, "publishedAt": ms, "lastModifiedAt": ms,
			"isReshareDisabledByAuthor": false, "lifecycleStateInfo": map[string]any{"isEditedByAuthor": false},
			"distribution": map[string]any{"feedDistribution": "MAIN_FEED", "targetEntities": []any{}, "thirdPartyDistributionChannels": []any{}}}
		switch {
		case p.Multi:
			var imgs []any
			for i, id := range p.Images {
				imgs = append(imgs, map[string]any{"id": id, "altText": p.AltTexts[i]})
			}
			e["content"] = map[string]any{"multiImage": map[string]any{"images": imgs}}
		case p.Video != "":
			e["content"] = map[string]any{"media": map[string]any{"id": p.Video, "title": p.Title}}
		case len(p.Images) == 1:
			e["content"] = map[string]any{"media": map[string]any{"id": p.Images[0], "altText": p.AltTexts[0]}}
		}
		elems = append(elems, e)
	}
	if elems == nil {
		elems = []any{}
	}
	s.json(w, http.StatusOK, map[string]any{"elements": elems, "paging": map[string]any{"start": start, "count": count, "links": []any{}}})
}

func (s *Server) initializeUpload(w http.ResponseWriter, q map[string]string, data []byte) {
	s.t.Helper()
	if q["action"] != "initializeUpload" {
		s.errorf("images: action=%q, want initializeUpload", q["action"])
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var body struct {
		InitializeUploadRequest *struct {
			Owner string `json:"owner"`
		} `json:"initializeUploadRequest"`
	}
	if err := dec.Decode(&body); err != nil || body.InitializeUploadRequest == nil {
		s.errorf("images.initializeUpload: want {initializeUploadRequest: {owner}}: %s (%v)", data, err)
		s.fail(w, http.StatusUnprocessableEntity, "UNPROCESSABLE_ENTITY", "initializeUploadRequest is required")
		return
	}
	if body.InitializeUploadRequest.Owner != s.Author {
		s.fail(w, http.StatusForbidden, "ACCESS_DENIED", "Not enough permissions to access: images.ACTION-initializeUpload")
		return
	}
	s.next++
	urn := fmt.Sprintf("urn:li:image:C4E10AQHerald%05d", s.next)
	s.images[urn] = &Image{URN: urn, Owner: s.Author}
	s.json(w, http.StatusOK, map[string]any{"value": map[string]any{
		"uploadUrlExpiresAt": s.now().Add(time.Hour).UnixMilli(),
		"uploadUrl":          s.URL + "/upload/" + strings.TrimPrefix(urn, "urn:li:image:"),
		"image":              urn}})
}

func (s *Server) upload(w http.ResponseWriter, key string, data []byte) {
	s.t.Helper()
	im := s.images["urn:li:image:"+key]
	if im == nil {
		s.errorf("upload: no image %q was initialized", key)
		s.fail(w, http.StatusNotFound, "NOT_FOUND", "Not Found")
		return
	}
	im.Data = data
	w.WriteHeader(http.StatusCreated)
}

// shareStatistics is organizationalEntityShareStatistics for a list of
// posts: their lifetime statistics.
func (s *Server) shareStatistics(w http.ResponseWriter, q map[string]string) {
	s.t.Helper()
	if q["q"] != "organizationalEntity" {
		s.errorf("shareStatistics: q=%q, want organizationalEntity", q["q"])
	}
	if s.urn("shareStatistics", q["organizationalEntity"]) != s.Author || !s.isOrg() {
		s.fail(w, http.StatusForbidden, "ACCESS_DENIED", "Not enough permissions to access: organizationalEntityShareStatistics.FINDER-organizationalEntity")
		return
	}
	var elems []any
	for _, list := range []string{"shares", "ugcPosts"} {
		v, ok := q[list]
		if !ok {
			continue
		}
		inner, found := strings.CutPrefix(v, "List(")
		if !found || !strings.HasSuffix(inner, ")") {
			s.errorf("shareStatistics: %s=%q is not a Rest.li List(...)", list, v)
			continue
		}
		for _, enc := range strings.Split(strings.TrimSuffix(inner, ")"), ",") {
			p := s.post(s.urn("shareStatistics", enc))
			if p == nil {
				continue
			}
			field := "share"
			if list == "ugcPosts" {
				field = "ugcPost"
			}
			elems = append(elems, map[string]any{field: p.ID, "organizationalEntity": s.Author,
				"totalShareStatistics": map[string]any{"uniqueImpressionsCount": p.Impressions, "shareCount": p.Shares,
					"engagement": 0.0, "clickCount": 0, "likeCount": p.Likes, "impressionCount": p.Impressions, "commentCount": p.Comments}})
		}
	}
	if elems == nil {
		elems = []any{}
	}
	s.json(w, http.StatusOK, map[string]any{"elements": elems, "paging": map[string]any{"start": 0, "count": 10, "links": []any{}}})
}
