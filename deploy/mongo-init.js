// Run by the mongo-init service: makes the single mongod a one-member replica set
// (MongoDB's majority writes and change streams need one) and waits for it to be primary.
try {
  rs.status();
  print('replica set already initiated');
} catch (error) {
  rs.initiate({ _id: 'rs0', members: [{ _id: 0, host: 'mongo:27017' }] });
  print('replica set initiated');
}
for (let i = 0; i < 60; i++) {
  if (db.hello().isWritablePrimary) {
    print('primary ready');
    quit(0);
  }
  sleep(1000);
}
print('no primary after 60 s');
quit(1);
