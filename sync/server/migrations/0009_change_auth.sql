-- Each change carries its authentication tag (made by the workstation that
-- wrote it, under the practice key the server never has). The server only
-- stores and relays it: it cannot make or check one.
ALTER TABLE changes ADD COLUMN auth BLOB;
