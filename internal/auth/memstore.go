package auth

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// MemStore is an in-memory hotgrid.AccountStore for tests and demos.
type MemStore struct {
	mu       sync.Mutex
	users    map[int64]hotgrid.User
	sessions map[string]hotgrid.Session
	tokens   map[string]hotgrid.APIToken
	nextID   int64
	epoch    int64 // auth epoch: see AuthEpoch
}

var _ EpochStore = (*MemStore)(nil)

// AuthEpoch implements EpochStore: it grows with every account update and
// every session deleted.
func (m *MemStore) AuthEpoch(context.Context) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.epoch, nil
}

func (m *MemStore) init() {
	if m.users == nil {
		m.users = map[int64]hotgrid.User{}
		m.sessions = map[string]hotgrid.Session{}
		m.tokens = map[string]hotgrid.APIToken{}
	}
}

// CreateUser implements hotgrid.AccountStore.
func (m *MemStore) CreateUser(_ context.Context, u *hotgrid.User) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	for _, x := range m.users {
		if x.Name == u.Name {
			return hotgrid.Errorf(hotgrid.ECONFLICT, "account %q exists", u.Name)
		}
	}
	m.nextID++
	u.ID = m.nextID
	m.users[u.ID] = *u
	return nil
}

// UpdateUser implements hotgrid.AccountStore.
func (m *MemStore) UpdateUser(_ context.Context, u *hotgrid.User) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	if _, ok := m.users[u.ID]; !ok {
		return hotgrid.Errorf(hotgrid.ENOTFOUND, "no account %d", u.ID)
	}
	m.users[u.ID] = *u
	m.epoch++
	return nil
}

// UserByID implements hotgrid.AccountStore.
func (m *MemStore) UserByID(_ context.Context, id int64) (*hotgrid.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	u, ok := m.users[id]
	if !ok {
		return nil, hotgrid.Errorf(hotgrid.ENOTFOUND, "no account %d", id)
	}
	return &u, nil
}

// UserByName implements hotgrid.AccountStore.
func (m *MemStore) UserByName(_ context.Context, name string) (*hotgrid.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, u := range m.users {
		if u.Name == name {
			return &u, nil
		}
	}
	return nil, hotgrid.Errorf(hotgrid.ENOTFOUND, "no account %q", name)
}

// Users implements hotgrid.AccountStore.
func (m *MemStore) Users(context.Context) ([]*hotgrid.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var us []*hotgrid.User
	for _, u := range m.users {
		us = append(us, &u)
	}
	sort.Slice(us, func(i, j int) bool { return us[i].Name < us[j].Name })
	return us, nil
}

// CreateSession implements hotgrid.AccountStore.
func (m *MemStore) CreateSession(_ context.Context, s *hotgrid.Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	m.sessions[s.ID] = *s
	return nil
}

// Session implements hotgrid.AccountStore.
func (m *MemStore) Session(_ context.Context, id string) (*hotgrid.Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[id]
	if !ok {
		return nil, hotgrid.Errorf(hotgrid.ENOTFOUND, "no session")
	}
	return &s, nil
}

// TouchSession implements hotgrid.AccountStore.
func (m *MemStore) TouchSession(_ context.Context, id string, t time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s, ok := m.sessions[id]; ok {
		s.LastSeen = t
		m.sessions[id] = s
	}
	return nil
}

// DeleteSession implements hotgrid.AccountStore.
func (m *MemStore) DeleteSession(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.sessions[id]; ok {
		delete(m.sessions, id)
		m.epoch++
	}
	return nil
}

// DeleteUserSessions implements hotgrid.AccountStore.
func (m *MemStore) DeleteUserSessions(_ context.Context, userID int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for id, s := range m.sessions {
		if s.UserID == userID {
			delete(m.sessions, id)
			m.epoch++
		}
	}
	return nil
}

// CreateToken implements hotgrid.AccountStore.
func (m *MemStore) CreateToken(_ context.Context, t *hotgrid.APIToken) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	m.tokens[t.ID] = *t
	return nil
}

// Token implements hotgrid.AccountStore.
func (m *MemStore) Token(_ context.Context, id string) (*hotgrid.APIToken, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tokens[id]
	if !ok {
		return nil, hotgrid.Errorf(hotgrid.ENOTFOUND, "no token")
	}
	return &t, nil
}
