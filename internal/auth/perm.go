package auth

import "github.com/hotgrid/hotgrid/internal/hotgrid"

// Perm is a permission a route requires.
type Perm string

// Permissions. PermPublic marks the few routes anonymous users may reach
// (login page, health check); every other permission needs an account.
const (
	PermPublic   Perm = "public"
	PermView     Perm = "view"      // maps, rankings, plans, coverage, briefings
	PermExport   Perm = "export"    // file exports (audited with recipient)
	PermSession  Perm = "session"   // any signed-in account: logout, own token
	PermEditPlan Perm = "plan.edit" // create, edit, propose and withdraw plans; capacity; patrol logs
	PermAgree    Perm = "plan.agree"
	PermAdmin    Perm = "admin" // accounts and the audit trail
)

// Perms lists every permission except PermPublic.
var Perms = []Perm{PermView, PermExport, PermSession, PermEditPlan, PermAgree, PermAdmin}

var rolePerms = map[hotgrid.Role][]Perm{
	hotgrid.RoleViewer:  {PermView, PermExport, PermSession},
	hotgrid.RolePlanner: {PermView, PermExport, PermSession, PermEditPlan},
	hotgrid.RoleChair:   {PermView, PermExport, PermSession, PermAgree},
	hotgrid.RoleAdmin:   {PermView, PermExport, PermSession, PermAdmin},
}

// ReadOnly reports whether a permission changes nothing, so API tokens may
// use it.
func (p Perm) ReadOnly() bool { return p == PermView || p == PermExport || p == PermPublic }

// Has reports whether a role carries a permission.
func Has(r hotgrid.Role, p Perm) bool {
	if p == PermPublic {
		return true
	}
	for _, q := range rolePerms[r] {
		if q == p {
			return true
		}
	}
	return false
}

// Allowed reports whether u may use p on unit. unit "" means the request
// is not about one unit (or is about all of them): accounts limited to a
// unit then get only unscoped routes, which the caller marks by scoped
// false.
func Allowed(u *hotgrid.User, p Perm, scoped bool, unit string) bool {
	if p == PermPublic {
		return true
	}
	if u == nil || u.Disabled || !Has(u.Role, p) {
		return false
	}
	if !scoped || u.Unit == "" {
		return true
	}
	return unit == u.Unit
}
