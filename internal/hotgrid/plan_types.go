package hotgrid

import (
	"context"
	"time"
)

// Role is what an account may do. Roles are ordered by what they add, not
// nested: a chair agrees plans but does not edit them, an admin manages
// accounts but does not agree plans.
type Role string

// Roles.
const (
	RoleViewer  Role = "viewer"  // reads maps, plans and coverage
	RolePlanner Role = "planner" // edits and proposes its unit's plans, logs patrols
	RoleChair   Role = "chair"   // board chair: agrees and closes plans
	RoleAdmin   Role = "admin"   // manages accounts, reads the audit trail
)

// Roles lists every role in a stable order.
var Roles = []Role{RoleViewer, RolePlanner, RoleChair, RoleAdmin}

// ParseRole reads a role name.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if Role(normalise(s)) == r {
			return r, nil
		}
	}
	return "", FieldErrorf("role", "unknown role %q (want viewer, planner, chair or admin)", s)
}

// User is a local account. Unit is the unit the account is limited to; ""
// means every unit.
type User struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	Role         Role      `json:"role"`
	Unit         string    `json:"unit,omitempty"`
	PasswordHash string    `json:"-"`
	Disabled     bool      `json:"disabled"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Session is a server-side login session. ID is the SHA-256 (hex) of the
// secret sent in the cookie, so a copy of the store does not give sessions
// away. CSRF is the session's synchronizer token.
type Session struct {
	ID        string
	UserID    int64
	CSRF      string
	CreatedAt time.Time
	LastSeen  time.Time
}

// APIToken is a read-only bearer token for GIS clients. ID is the SHA-256
// (hex) of the token.
type APIToken struct {
	ID        string    `json:"-"`
	UserID    int64     `json:"user_id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// PlanState is a plan's place in its life: draft -> proposed -> agreed ->
// closed. An agreed plan never changes; a new version is made instead.
type PlanState string

// Plan states.
const (
	PlanDraft    PlanState = "draft"
	PlanProposed PlanState = "proposed"
	PlanAgreed   PlanState = "agreed"
	PlanClosed   PlanState = "closed"
)

// PlanArea is one patrol area of a plan: its cells and a dose per band.
type PlanArea struct {
	ID    string   `json:"id"`
	Rank  int      `json:"rank"`
	Cells []string `json:"cells"`
	Count float64  `json:"count"`
	Harm  float64  `json:"harm"`
	Doses []Dose   `json:"doses"`
}

// Plan is one unit's patrol plan for a period [From, To) of local dates.
// Version counts saved changes; an update naming an older version fails
// with ECONFLICT. Supersedes names the agreed plan this one replaces.
type Plan struct {
	ID         int64      `json:"id"`
	Unit       string     `json:"unit"`
	From       time.Time  `json:"from"`
	To         time.Time  `json:"to"`
	State      PlanState  `json:"state"`
	Version    int        `json:"version"`
	Supersedes int64      `json:"supersedes,omitempty"`
	Note       string     `json:"note,omitempty"`
	Areas      []PlanArea `json:"areas"`
	CreatedBy  string     `json:"created_by"`
	UpdatedBy  string     `json:"updated_by"`
	AgreedBy   string     `json:"agreed_by,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	AgreedAt   time.Time  `json:"agreed_at,omitzero"`
}

// PlanFilter narrows a plan listing. Zero values mean no bound.
type PlanFilter struct {
	Unit  string
	State PlanState
}

// Capacity is the patrol minutes a unit can give per day in one band.
type Capacity struct {
	Unit    string `json:"unit"`
	Band    string `json:"band"`
	Minutes int    `json:"minutes"`
}

// PatrolLog is one recorded patrol visit of a plan area.
type PatrolLog struct {
	ID        int64     `json:"id"`
	Unit      string    `json:"unit"`
	PlanID    int64     `json:"plan_id"`
	Area      string    `json:"area"`
	Cell      string    `json:"cell,omitempty"` // GPS-matched cell
	Start     time.Time `json:"start"`
	Minutes   int       `json:"minutes"`
	Source    string    `json:"source"` // form, csv or gps
	Ref       string    `json:"ref,omitempty"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// PatrolFilter narrows a patrol listing. Zero values mean no bound.
type PatrolFilter struct {
	Unit     string
	PlanID   int64
	From, To time.Time // Start in [From, To)
}

// Coverage statuses of an area in one band on one day.
const (
	Covered = "covered" // the dose was given
	Short   = "short"   // some patrol, below the dose
	Missed  = "missed"  // no patrol
)

// CoverageRow is one agreed area in one band on one day.
type CoverageRow struct {
	Date          string `json:"date"` // YYYY-MM-DD, the local day the band starts on
	Band          string `json:"band"`
	Area          string `json:"area"`
	NeedMinutes   int    `json:"need_minutes"`
	NeedVisits    int    `json:"need_visits"`
	LoggedMinutes int    `json:"logged_minutes"`
	Visits        int    `json:"visits"`
	Status        string `json:"status"`
}

// Coverage is a plan's coverage report for a window of days.
type Coverage struct {
	PlanID  int64         `json:"plan_id"`
	Unit    string        `json:"unit"`
	From    string        `json:"from"`
	To      string        `json:"to"` // exclusive
	Rows    []CoverageRow `json:"rows"`
	Covered int           `json:"covered"`
	Short   int           `json:"short"`
	Missed  int           `json:"missed"`
}

// AuditRecord is one entry of the hash-chained audit trail. Hash is the
// SHA-256 of the record (Hash excluded) and Prev, the previous record's Hash.
type AuditRecord struct {
	Seq       int64     `json:"seq"`
	Time      time.Time `json:"time"` // UTC
	User      string    `json:"user"`
	Action    string    `json:"action"`
	Objects   []string  `json:"objects"`
	Recipient string    `json:"recipient,omitempty"`
	Outcome   string    `json:"outcome"`
	Detail    string    `json:"detail,omitempty"`
	Prev      string    `json:"prev"`
	Hash      string    `json:"hash"`
}

// PlanStore keeps plans, unit capacities and patrol logs.
type PlanStore interface {
	// CreatePlan stores a new plan, setting its ID and Version 1.
	CreatePlan(ctx context.Context, p *Plan) error
	// UpdatePlan replaces a stored plan if its stored version is p.Version,
	// then sets p.Version to the new version; ECONFLICT otherwise.
	UpdatePlan(ctx context.Context, p *Plan) error
	// Plan returns one plan; ENOTFOUND when absent.
	Plan(ctx context.Context, id int64) (*Plan, error)
	// Plans lists plans, newest period first.
	Plans(ctx context.Context, f PlanFilter) ([]*Plan, error)
	// SetCapacity replaces a unit's capacity.
	SetCapacity(ctx context.Context, unit string, c []Capacity) error
	// Capacity returns a unit's capacity, ordered by band.
	Capacity(ctx context.Context, unit string) ([]Capacity, error)
	// AddPatrols stores patrol logs in one transaction, setting their IDs.
	AddPatrols(ctx context.Context, logs []PatrolLog) error
	// Patrols lists patrol logs ordered by start.
	Patrols(ctx context.Context, f PatrolFilter) ([]PatrolLog, error)
}

// AccountStore keeps accounts, sessions and API tokens.
type AccountStore interface {
	// CreateUser stores a new account and sets its ID; ECONFLICT when the name is taken.
	CreateUser(ctx context.Context, u *User) error
	// UpdateUser saves an account's role, unit, password hash and disabled flag.
	UpdateUser(ctx context.Context, u *User) error
	// UserByID and UserByName return one account; ENOTFOUND when absent.
	UserByID(ctx context.Context, id int64) (*User, error)
	UserByName(ctx context.Context, name string) (*User, error)
	// Users lists every account by name.
	Users(ctx context.Context) ([]*User, error)
	// CreateSession stores a session.
	CreateSession(ctx context.Context, s *Session) error
	// Session returns one session; ENOTFOUND when absent.
	Session(ctx context.Context, id string) (*Session, error)
	// TouchSession sets a session's LastSeen.
	TouchSession(ctx context.Context, id string, t time.Time) error
	// DeleteSession removes one session; absent sessions are not an error.
	DeleteSession(ctx context.Context, id string) error
	// DeleteUserSessions removes every session of an account.
	DeleteUserSessions(ctx context.Context, userID int64) error
	// CreateToken stores an API token.
	CreateToken(ctx context.Context, t *APIToken) error
	// Token returns one API token; ENOTFOUND when absent.
	Token(ctx context.Context, id string) (*APIToken, error)
}

// AuditStore keeps the audit trail. It only appends.
type AuditStore interface {
	// LastAudit returns the newest record, or nil when the trail is empty.
	LastAudit(ctx context.Context) (*AuditRecord, error)
	// InsertAudit appends a record; ECONFLICT when its Seq is taken (another
	// writer got there first) so the caller can chain again.
	InsertAudit(ctx context.Context, r *AuditRecord) error
	// ScanAudit calls fn for every record in Seq order.
	ScanAudit(ctx context.Context, fn func(*AuditRecord) error) error
}
