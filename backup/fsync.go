package backup

import (
	"errors"
	"syscall"
)

// isUnsupportedSync: some file systems (FAT on a USB stick through some
// drivers, SMB shares) refuse fsync on a directory; the rename is then as
// durable as that file system makes it.
func isUnsupportedSync(err error) bool {
	return errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP) || errors.Is(err, syscall.EBADF)
}
