// Which component draws a view. Table views (model/view-list.ts entries with `build`) use
// PanelView unless an entry here gives them their own drawing: a new panel that needs more than
// lines (a confirm dialog, a progress bar) adds `id: Component` here and nothing else in the app.
import type React from 'react';
import type {PanelModel} from '../model/panel.js';
import {PanelView} from './panel.js';

export type PanelComponentProps = {model: PanelModel; width: number; height: number};

export const PANEL_COMPONENTS: Partial<Record<string, (props: PanelComponentProps) => React.JSX.Element>> = {};

export function panelComponent(id: string): (props: PanelComponentProps) => React.JSX.Element {
	return PANEL_COMPONENTS[id] ?? PanelView;
}
