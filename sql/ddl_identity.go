package sql

import (
	"fmt"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
	"github.com/vecgres/vecgres/storage"
)

// alterColumnSequence runs the ALTER TABLE commands that concern a
// column's sequence: ADD GENERATED ... AS IDENTITY, DROP IDENTITY, SET
// GENERATED / SET option / RESTART (handled is true), and keeps owned
// sequences following DROP COLUMN and RENAME COLUMN (handled is false: the
// column change itself is alterCmd's). col is the column's ordinal in
// desc, -1 when absent.
func (s *Session) alterColumnSequence(cat *catalogView, desc *storage.TableDesc, col int, cmd tree.AlterCmd) (handled bool, err error) {
	switch cmd.Kind {
	case "drop_column":
		if col >= 0 {
			return false, storage.DropOwnedSequences(s.txn, desc.ID, cmd.Column.Name)
		}
		return false, nil
	case "rename_column":
		if col < 0 {
			return false, nil
		}
		if sd := cat.cat.OwnedSequence(desc.ID, cmd.Column.Name); sd != nil {
			nd := *sd
			nd.OwnerColumn = cmd.NewName
			return false, storage.PutSequence(s.txn, &nd)
		}
		return false, nil
	case "set_default":
		if col >= 0 && desc.Columns[col].Identity != "" {
			return true, pgerr.Newf(pgerr.SyntaxError, "column %q of relation %q is an identity column", cmd.Column.Name, desc.Name)
		}
		return false, nil
	case "add_identity", "drop_identity", "set_identity":
	default:
		return false, nil
	}
	if col < 0 {
		return true, pgerr.Newf(pgerr.UndefinedColumn, "column %q of relation %q does not exist", cmd.Column.Name, desc.Name)
	}
	c := &desc.Columns[col]
	switch cmd.Kind {
	case "add_identity":
		switch {
		case c.Identity != "":
			return true, pgerr.Newf(pgerr.ObjectNotInPrerequisiteState, "column %q of relation %q is already an identity column", c.Name, desc.Name)
		case c.Default != "":
			return true, pgerr.Newf(pgerr.ObjectNotInPrerequisiteState, "column %q of relation %q already has a default value", c.Name, desc.Name)
		case !c.NotNull:
			return true, pgerr.Newf(pgerr.ObjectNotInPrerequisiteState,
				"column %q of relation %q must be declared NOT NULL before identity can be added", c.Name, desc.Name)
		}
		name := ""
		if cmd.Column.IdentityOpts.Name != nil {
			name = cmd.Column.IdentityOpts.Name.Name
		} else {
			name = ownedSequenceName(cat, desc.Name, c.Name, nil)
		}
		if _, err := s.createColumnSequence(cat, desc, col, name, cmd.Column.IdentityOpts, true); err != nil {
			return true, err
		}
		c.Identity = cmd.Column.Identity
		return true, nil
	case "drop_identity":
		if c.Identity == "" {
			if cmd.IfExists {
				s.notice(pgerr.SuccessfulCompletion, fmt.Sprintf("column %q of relation %q is not an identity column, skipping", c.Name, desc.Name))
				return true, nil
			}
			return true, pgerr.Newf(pgerr.ObjectNotInPrerequisiteState, "column %q of relation %q is not an identity column", c.Name, desc.Name)
		}
		c.Identity = ""
		return true, storage.DropOwnedSequences(s.txn, desc.ID, c.Name)
	}
	// set_identity
	if c.Identity == "" {
		return true, pgerr.Newf(pgerr.ObjectNotInPrerequisiteState, "column %q of relation %q is not an identity column", c.Name, desc.Name)
	}
	if cmd.Column.Identity != "" {
		c.Identity = cmd.Column.Identity
	}
	if sd := cat.cat.OwnedSequence(desc.ID, c.Name); sd != nil {
		return true, s.alterSequenceDesc(cat, sd, cmd.Column.IdentityOpts)
	}
	return true, nil
}
