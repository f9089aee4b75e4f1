import {test} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import {Text} from 'ink';
import {render} from 'ink-testing-library';
import {ErrorBoundary} from '../../source/components/error-boundary.js';

function Broken(props: {fail: boolean}): React.JSX.Element {
	if (props.fail) throw new Error('bad value \u001b[2J in a view');
	return <Text>all good</Text>;
}

test('a view that throws shows one sanitized line, no stack, and recovers on the next update', () => {
	const app = render(
		<ErrorBoundary resetKey={1}>
			<Broken fail />
		</ErrorBoundary>,
	);
	const frame = app.lastFrame() ?? '';
	assert.match(frame, /internal error drawing this view: bad value ␛\[2J in a view/);
	assert.doesNotMatch(frame, /\bat \w+ \(|\.tsx?:\d+/, 'no stack trace');
	app.rerender(
		<ErrorBoundary resetKey={2}>
			<Broken fail={false} />
		</ErrorBoundary>,
	);
	assert.match(app.lastFrame() ?? '', /all good/);
	app.unmount();
});
