async function run() { }

void run();
