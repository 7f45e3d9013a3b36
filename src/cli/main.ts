process.stdout.write('promptmeter: not yet implemented\n');
